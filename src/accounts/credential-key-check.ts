import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigError } from '../config/hub-config';
import { AccountsRepository } from '../store/accounts.repository';
import { CredentialCipher } from './credential-cipher';

/**
 * Stops the boot when stored credentials were sealed with a key this hub does not have (a replica
 * started with another HUB_ENCRYPTION_KEY, a data dir's generated key lost): otherwise every sync
 * and proxied call of those accounts would fail later with a 500.
 */
@Injectable()
export class CredentialKeyCheck implements OnApplicationBootstrap {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly cipher: CredentialCipher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const missing = (await this.accounts.credentialKeyIds()).filter((k) => !this.cipher.hasKey(k.keyId));
    if (missing.length === 0) return;
    const which = missing.map((k) => `key id ${k.keyId} (${k.accounts} account${k.accounts === 1 ? '' : 's'})`).join(', ');
    throw new ConfigError(
      `HUB_ENCRYPTION_KEY cannot open the stored credentials sealed with ${which}; this hub's key id is ${this.cipher.currentKeyId}. ` +
        'Start it with the encryption key they were sealed with (the same on every replica).',
    );
  }
}
