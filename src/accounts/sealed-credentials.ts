import { Logger } from '@nestjs/common';
import type { AccountsRepository } from '../store/accounts.repository';
import type { CredentialCipher } from './credential-cipher';
import { eachInBatches, KeyCount, ResealOutcome, SealedValues } from './sealed-values';

/** The integrated accounts' credentials, bound to their account id. */
export class SealedCredentials implements SealedValues {
  readonly kind = 'credentials';
  private readonly logger = new Logger('KeyRotation');

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly cipher: CredentialCipher,
  ) {}

  describe(count: number): string {
    return `credentials of ${count} integrated account(s)`;
  }

  countByKeyId(): Promise<KeyCount[]> {
    return this.accounts.countByKeyId();
  }

  async resealAll(): Promise<ResealOutcome> {
    const current = this.cipher.currentKeyId;
    const outcome: ResealOutcome = { resealed: 0, skipped: 0, failed: 0 };
    await eachInBatches(
      (after, limit) => this.accounts.sealedWithOtherKeys(current, after, limit),
      async (row) => {
        if (!this.cipher.hasKey(row.credentials_key_id)) {
          outcome.skipped += 1; // written by a replica with another key since boot; the boot check of the next start names it
          return;
        }
        let sealed: string;
        try {
          sealed = this.cipher.seal(this.cipher.open(row.credentials, row.id), row.id);
        } catch (error) {
          // One damaged value must not stop the others; it stays as it is, and is counted as pending.
          outcome.failed += 1;
          this.logger.error(`cannot re-seal the credentials of integrated account ${row.id}: ${(error as Error).message}`);
          return;
        }
        if (await this.accounts.replaceSealed(row.id, row.credentials, sealed, current)) outcome.resealed += 1;
        else outcome.skipped += 1; // changed since it was read (re-sealed elsewhere, or new credentials)
      },
    );
    return outcome;
  }
}
