import { Injectable } from '@nestjs/common';
import { CredentialCipher, webhookSecretContext } from '../accounts/credential-cipher';
import type { WebhookEndpointRow } from '../store/webhook-endpoints.repository';
import { signatureHeader } from './webhook-signing';

/**
 * Endpoint signing secrets at rest: sealed with the credential cipher (the current key and the
 * previous ones, re-sealed by accounts/key-rotation.ts like credentials), bound to the endpoint id
 * (a sealed secret copied to another endpoint's row does not open). Opened only to sign.
 */
@Injectable()
export class SigningSecrets {
  constructor(private readonly cipher: CredentialCipher) {}

  get keyId(): string {
    return this.cipher.currentKeyId;
  }

  seal(secret: string, endpointId: string): string {
    return this.cipher.seal(secret, webhookSecretContext(endpointId));
  }

  /** The header for one attempt: the current secret's signature, and the previous one's during a rotation. */
  signature(endpoint: WebhookEndpointRow, messageId: string, timestamp: Date, body: string, now = Date.now()): string {
    const secrets = [this.cipher.open(endpoint.secret, webhookSecretContext(endpoint.id))];
    if (endpoint.previous_secret && endpoint.previous_secret_expires_at && Date.parse(endpoint.previous_secret_expires_at) > now) {
      secrets.push(this.cipher.open(endpoint.previous_secret, webhookSecretContext(endpoint.id)));
    }
    return signatureHeader(secrets, messageId, timestamp, body);
  }
}
