import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ACCOUNT_CREATED, ACCOUNT_CREDENTIALS_CHANGED, AccountCreatedEvent } from '../accounts/account-events';
import { SyncService } from './sync.service';

/**
 * A newly connected account gets its first sync at once, and an account with new credentials a
 * sync with them. The accounts module awaits this (emitAsync), so the run is registered before the
 * connect answers and a first read waits for it.
 */
@Injectable()
export class InitialSyncListener {
  constructor(private readonly sync: SyncService) {}

  @OnEvent(ACCOUNT_CREATED, { suppressErrors: false })
  async onAccountCreated(event: AccountCreatedEvent): Promise<void> {
    await this.sync.start(event.accountId, 'initial');
  }

  /** New credentials: a run with them now (or, when one is going, the one already going). */
  @OnEvent(ACCOUNT_CREDENTIALS_CHANGED, { suppressErrors: false })
  async onCredentialsChanged(event: AccountCreatedEvent): Promise<void> {
    await this.sync.start(event.accountId, 'manual');
  }
}
