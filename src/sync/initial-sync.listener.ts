import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ACCOUNT_CREATED, AccountCreatedEvent } from '../accounts/account-events';
import { SyncService } from './sync.service';

/**
 * A newly connected account gets its first sync at once. The accounts module awaits this
 * (emitAsync), so the run is registered before the connect answers and a first read waits for it.
 */
@Injectable()
export class InitialSyncListener {
  constructor(private readonly sync: SyncService) {}

  @OnEvent(ACCOUNT_CREATED, { suppressErrors: false })
  async onAccountCreated(event: AccountCreatedEvent): Promise<void> {
    await this.sync.start(event.accountId, 'initial');
  }
}
