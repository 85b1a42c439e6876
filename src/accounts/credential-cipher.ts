import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for credentials at rest. Each value gets a fresh 96-bit IV; the key id travels with the
 * value so keys can rotate (old ids stay decryptable while new writes use the current key); the
 * account id is bound in as associated data so a ciphertext cannot be moved to another account.
 */
export interface SealedValue {
  v: 1;
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

export class CredentialCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) throw new Error('AES-256-GCM keys must be 32 bytes');
      this.keys.set(keyId(key), key);
    }
    this.currentKeyId = keyId(currentKey);
  }

  /** The ids of every configured key, the current one first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** True when a value sealed with key `kid` can be opened. */
  hasKey(kid: string): boolean {
    return this.keys.has(kid);
  }

  seal(plaintext: string, accountId: string): string {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(accountId, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed: SealedValue = {
      v: 1,
      kid: this.currentKeyId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ct: ct.toString('base64'),
    };
    return JSON.stringify(sealed);
  }

  open(stored: string, accountId: string): string {
    const sealed = JSON.parse(stored) as SealedValue;
    const key = this.keys.get(sealed.kid);
    if (!key) throw new MissingKeyError(sealed.kid);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(accountId, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
  }
}

/** A value sealed with a key this process does not have (another replica rotated, or a wrong key). */
export class MissingKeyError extends Error {
  constructor(readonly kid: string) {
    super(`no key with id ${kid} is configured; cannot decrypt credentials`);
    this.name = 'MissingKeyError';
  }
}

/**
 * The associated data a webhook endpoint's signing secret is sealed with: bound to the endpoint, so
 * a sealed secret copied to another endpoint's row does not open. Here, beside the cipher, because
 * key rotation (accounts/) re-seals these values too.
 */
export function webhookSecretContext(endpointId: string): string {
  return `webhook:${endpointId}`;
}

/** The key id a stored sealed value carries (null when it is not a sealed value). */
export function sealedKeyId(stored: string): string | null {
  try {
    const kid = (JSON.parse(stored) as Partial<SealedValue>).kid;
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

/** A short public fingerprint of a key; never enough to recover it. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('hub-credential-key:').update(key).digest('hex').slice(0, 16);
}
