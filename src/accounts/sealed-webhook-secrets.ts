import { Logger } from '@nestjs/common';
import type { SealedSecrets, WebhookEndpointsRepository } from '../store/webhook-endpoints.repository';
import { CredentialCipher, sealedKeyId, webhookSecretContext } from './credential-cipher';
import { addCount, eachInBatches, KeyCount, ResealOutcome, SealedValues } from './sealed-values';

/**
 * Webhook endpoints' signing secrets: the current one (its key id in secret_key_id) and, for 24 h
 * after a rotate-secret, the previous one (its key id inside the sealed value). A previous secret
 * past its expiry never signs again: it is not counted, does not stop the boot, and the re-seal
 * pass clears it instead of re-sealing it.
 */
export class SealedWebhookSecrets implements SealedValues {
  readonly kind = 'webhook_secrets';
  private readonly logger = new Logger('KeyRotation');

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly cipher: CredentialCipher,
  ) {}

  describe(count: number): string {
    return `${count} webhook signing secret(s)`;
  }

  async countByKeyId(): Promise<KeyCount[]> {
    const counts = new Map<string, number>();
    await this.each(async (row) => {
      addCount(counts, row.secret_key_id);
      const previous = livePreviousKeyId(row);
      if (previous !== null) addCount(counts, previous);
    });
    return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key_id, count]) => ({ key_id, count }));
  }

  async resealAll(): Promise<ResealOutcome> {
    const current = this.cipher.currentKeyId;
    const outcome: ResealOutcome = { resealed: 0, skipped: 0, failed: 0 };
    await this.each(async (row) => {
      const previousKid = livePreviousKeyId(row);
      const staleCurrent = row.secret_key_id !== current;
      const stalePrevious = previousKid !== null && previousKid !== current;
      const expiredPrevious = row.previous_secret !== null && previousKid === null;
      if (!staleCurrent && !stalePrevious && !expiredPrevious) return;
      if ((staleCurrent && !this.cipher.hasKey(row.secret_key_id)) || (stalePrevious && !this.cipher.hasKey(previousKid))) {
        outcome.skipped += 1;
        return;
      }
      let next: Omit<SealedSecrets, 'id'>;
      try {
        next = {
          secret: staleCurrent ? this.reseal(row.secret, row.id) : row.secret,
          secret_key_id: current,
          previous_secret: previousKid === null ? null : stalePrevious ? this.reseal(row.previous_secret!, row.id) : row.previous_secret,
          previous_secret_expires_at: previousKid === null ? null : row.previous_secret_expires_at,
        };
      } catch (error) {
        outcome.failed += 1;
        this.logger.error(`cannot re-seal the signing secret of webhook endpoint ${row.id}: ${(error as Error).message}`);
        return;
      }
      if (await this.endpoints.replaceSealed(row, next)) outcome.resealed += staleCurrent || stalePrevious ? 1 : 0;
      else outcome.skipped += 1; // rotated or re-sealed elsewhere since it was read
    });
    return outcome;
  }

  private reseal(sealed: string, endpointId: string): string {
    const context = webhookSecretContext(endpointId);
    return this.cipher.seal(this.cipher.open(sealed, context), context);
  }

  private each(visit: (row: SealedSecrets) => Promise<void>): Promise<void> {
    return eachInBatches((after, limit) => this.endpoints.sealedSecrets(after, limit), visit);
  }
}

/** The key id of the previous secret while it still signs; null when there is none or it expired. */
function livePreviousKeyId(row: SealedSecrets, now = Date.now()): string | null {
  if (row.previous_secret === null || row.previous_secret_expires_at === null || Date.parse(row.previous_secret_expires_at) <= now) return null;
  return sealedKeyId(row.previous_secret) ?? 'unreadable';
}
