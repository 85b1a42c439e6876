import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConfig } from '../config/hub-config';
import { ConfigError } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { AccountsRepository } from '../store/accounts.repository';
import { WebhookEndpointsRepository } from '../store/webhook-endpoints.repository';
import { CredentialCipher, keyId } from './credential-cipher';
import { SealedCredentials } from './sealed-credentials';
import { addCount, KeyCount, ResealOutcome, SealedValues } from './sealed-values';
import { SealedWebhookSecrets } from './sealed-webhook-secrets';

/**
 * How often the background pass runs again after boot: during a rolling deploy a replica still on
 * the old key keeps sealing with it, and those values are picked up by the next pass.
 */
const RESEAL_EVERY_MS = 10 * 60_000;

export interface EncryptionStatus {
  current_key_id: string;
  previous_key_ids: string[];
  /** Per key id, how many stored values it seals (configured ids included, at 0), every kind together. */
  sealed_values: Record<string, number>;
  /** The same per kind of value: `credentials`, `webhook_secrets`. */
  sealed_by_kind: Record<string, Record<string, number>>;
  /** Values sealed with a previous key, waiting to be re-sealed with the current one. */
  pending_reseal: number;
}

/**
 * Encryption-key rotation, over every kind of sealed value (credentials, webhook signing secrets).
 * At boot, stops the hub when a stored value is sealed with a key that is not configured (instead
 * of booting, then answering 500 on every use of that account or failing every delivery); then
 * re-seals, in the background, every value sealed with a previous key, so that key can be removed.
 */
@Injectable()
export class KeyRotation implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KeyRotation');
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> | null = null;

  private readonly kinds: SealedValues[];

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    accounts: AccountsRepository,
    endpoints: WebhookEndpointsRepository,
    private readonly cipher: CredentialCipher,
  ) {
    this.kinds = [new SealedCredentials(accounts, cipher), new SealedWebhookSecrets(endpoints, cipher)];
  }

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
    const configured = () => new Map(this.cipher.keyIds.map((id) => [id, 0]));
    const total = configured();
    const byKind: Record<string, Record<string, number>> = {};
    for (const kind of this.kinds) {
      const counts = configured();
      for (const { key_id, count } of await kind.countByKeyId()) {
        addCount(counts, key_id, count);
        addCount(total, key_id, count);
      }
      byKind[kind.kind] = Object.fromEntries(counts);
    }
    const pending = previous.reduce((sum, id) => sum + (total.get(id) ?? 0), 0);
    return { current_key_id: current!, previous_key_ids: previous, sealed_values: Object.fromEntries(total), sealed_by_kind: byKind, pending_reseal: pending };
  }

  /**
   * One pass over every value not sealed with the current key, kind by kind, in id order and in
   * batches. Safe to run on several replicas at once: each write is a compare-and-set on the value it read.
   */
  async resealAll(): Promise<ResealOutcome> {
    const outcome: ResealOutcome = { resealed: 0, skipped: 0, failed: 0 };
    for (const kind of this.kinds) {
      const one = await kind.resealAll();
      outcome.resealed += one.resealed;
      outcome.skipped += one.skipped;
      outcome.failed += one.failed;
    }
    return outcome;
  }

  /** resealAll() once at a time in this process; failures are logged, and the next pass tries again. */
  resealInBackground(): Promise<unknown> {
    this.running ??= this.resealAll()
      .then(({ resealed }) => {
        if (resealed > 0) this.logger.log(`re-sealed ${resealed} stored value(s) (credentials, webhook secrets) with the current encryption key ${this.cipher.currentKeyId}`);
      })
      .catch((error: Error) => this.logger.error(`re-sealing stored values with the current encryption key failed: ${error.message}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async assertEveryKeyConfigured(): Promise<void> {
    const missingIds = new Set<string>();
    const parts: string[] = [];
    for (const kind of this.kinds) {
      const missing: KeyCount[] = (await kind.countByKeyId()).filter((r) => !this.cipher.hasKey(r.key_id));
      if (missing.length === 0) continue;
      for (const r of missing) missingIds.add(r.key_id);
      parts.push(kind.describe(missing.reduce((sum, r) => sum + r.count, 0)));
    }
    if (parts.length === 0) return;
    const ids = [...missingIds].sort().join(', ');
    throw new ConfigError(
      `Stored ${parts.join(' and ')} are sealed with encryption key id ${ids}, which no configured key has: ` +
        `set HUB_ENCRYPTION_KEY to that key, or keep it in HUB_ENCRYPTION_KEYS_PREVIOUS while the hub re-seals with the new one ` +
        `(configured key ids: ${this.cipher.keyIds.join(', ')}).${this.generatedKeyHint([...missingIds])}`,
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
