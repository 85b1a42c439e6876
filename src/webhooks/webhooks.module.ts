import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { StoreModule } from '../store/store.module';
import { OutboxWriter } from './outbox-writer';
import { SigningSecrets } from './signing-secrets';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookListeners } from './webhook-listeners';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Signed webhooks: endpoints, an outbox fed by account and sync events, and the dispatcher that
 * delivers it. Sits above accounts and sync, which know it only through their events.
 */
@Module({
  imports: [StoreModule, AccountsModule],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    OutboxWriter,
    WebhookListeners,
    WebhookDispatcher,
    // Seals and opens with AccountsModule's cipher: the current key and HUB_ENCRYPTION_KEYS_PREVIOUS.
    SigningSecrets,
  ],
})
export class WebhooksModule {}
