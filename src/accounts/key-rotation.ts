import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConfig } from '../config/hub-config';
import { ConfigError } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { AccountsRepository } from '../store/accounts.repository';
import { CredentialCipher, keyId } from './credential-cipher';

/** Values re-sealed per batch: one small read, then one compare-and-set per value. */
const BATCH = 100;
/**
 * How often the background pass runs again after boot: during a rolling deploy a replica still on
 * the old key keeps sealing with it, and those values are picked up by the next pass.
 */
const RESEAL_EVERY_MS = 10 * 60_000;

export interface EncryptionStatus {
  current_key_id: string;
  previous_key_ids: string[];
  /** Per key id, how many stored values it seals (configured ids included, at 0). */
  sealed_values: Record<string, number>;
  /** Values sealed with a previous key, waiting to be re-sealed with the current one. */
  pending_reseal: number;
}

/**
 * Encryption-key rotation. At boot, stops the hub when a stored value is sealed with a key that is
 * not configured (instead of booting, then answering 500 on every use of that account); then
 * re-seals, in the background, every value sealed with a previous key, so that key can be removed.
 */
@Injectable()
export class KeyRotation implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KeyRotation');
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly accounts: AccountsRepository,
    private readonly cipher: CredentialCipher,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.assertEveryKeyConfigured();
    // Without previous keys every value is sealed with the current one (the check above saw to it).
    if (this.cipher.keyIds.length === 1) return;
    void this.resealInBackground();
    this.timer = setInterval(() => void this.resealInBackground(), RESEAL_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // A pass stops between two writes; each write is whole, so nothing is left half done.
    await this.running?.catch(() => undefined);
  }

  async status(): Promise<EncryptionStatus> {
    const [current, ...previous] = this.cipher.keyIds;
    const sealed: Record<string, number> = Object.fromEntries(this.cipher.keyIds.map((id) => [id, 0]));
    for (const { key_id, count } of await this.accounts.countByKeyId()) sealed[key_id] = count;
    const pending = previous.reduce((sum, id) => sum + (sealed[id] ?? 0), 0);
    return { current_key_id: current!, previous_key_ids: previous, sealed_values: sealed, pending_reseal: pending };
  }

  /**
   * One pass over every value not sealed with the current key, in id order and in batches. Safe to
   * run on several replicas at once: each write is a compare-and-set on the value it read.
   */
  async resealAll(): Promise<{ resealed: number; skipped: number; failed: number }> {
    const current = this.cipher.currentKeyId;
    let after: string | null = null;
    let resealed = 0;
    let skipped = 0;
    let failed = 0;
    for (;;) {
      const batch = await this.accounts.sealedWithOtherKeys(current, after, BATCH);
      if (batch.length === 0) break;
      for (const row of batch) {
        after = row.id;
        if (!this.cipher.hasKey(row.credentials_key_id)) {
          skipped += 1; // written by a replica with another key since boot; the boot check of the next start names it
          continue;
        }
        let sealed: string;
        try {
          sealed = this.cipher.seal(this.cipher.open(row.credentials, row.id), row.id);
        } catch (error) {
          // One damaged value must not stop the others; it stays as it is, and is counted as pending.
          failed += 1;
          this.logger.error(`cannot re-seal the credentials of integrated account ${row.id}: ${(error as Error).message}`);
          continue;
        }
        if (await this.accounts.replaceSealed(row.id, row.credentials, sealed, current)) resealed += 1;
        else skipped += 1; // changed since it was read (re-sealed elsewhere, or new credentials)
      }
    }
    return { resealed, skipped, failed };
  }

  /** resealAll() once at a time in this process; failures are logged, and the next pass tries again. */
  resealInBackground(): Promise<unknown> {
    this.running ??= this.resealAll()
      .then(({ resealed }) => {
        if (resealed > 0) this.logger.log(`re-sealed ${resealed} stored credential value(s) with the current encryption key ${this.cipher.currentKeyId}`);
      })
      .catch((error: Error) => this.logger.error(`re-sealing credentials with the current encryption key failed: ${error.message}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async assertEveryKeyConfigured(): Promise<void> {
    const missing = (await this.accounts.countByKeyId()).filter((r) => !this.cipher.hasKey(r.key_id));
    if (missing.length === 0) return;
    const ids = missing.map((r) => r.key_id).join(', ');
    const count = missing.reduce((sum, r) => sum + r.count, 0);
    throw new ConfigError(
      `Stored credentials of ${count} integrated account(s) are sealed with encryption key id ${ids}, which no configured key has: ` +
        `set HUB_ENCRYPTION_KEY to that key, or keep it in HUB_ENCRYPTION_KEYS_PREVIOUS while the hub re-seals with the new one ` +
        `(configured key ids: ${this.cipher.keyIds.join(', ')}).${this.generatedKeyHint(missing.map((r) => r.key_id))}`,
    );
  }

  /** Points at data/encryption-key when that file holds the missing key (the hub once ran without HUB_ENCRYPTION_KEY). */
  private generatedKeyHint(missing: string[]): string {
    const path = join(this.config.dataDir, 'encryption-key');
    if (!existsSync(path)) return '';
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    return key.length === 32 && missing.includes(keyId(key)) ? ` That key is the one in ${path}.` : '';
  }
}
