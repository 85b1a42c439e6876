import { Module } from '@nestjs/common';
import { CursorCodec } from '../common/cursor-codec';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { IntegrationsModule } from '../integrations/integrations.module';
import { StoreModule } from '../store/store.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { CredentialCipher } from './credential-cipher';
import { CredentialKeyCheck } from './credential-key-check';
import { SeatPricesController } from './seat-prices.controller';

/**
 * Integrated accounts: connect (credentials tested, then sealed), read, update, delete. Also the
 * cursor codec, since every list above it signs its cursors with the same key.
 */
@Module({
  imports: [StoreModule, IntegrationsModule],
  controllers: [AccountsController, SeatPricesController],
  providers: [
    AccountsService,
    CredentialKeyCheck,
    { provide: CredentialCipher, useFactory: (c: HubConfig) => new CredentialCipher(c.encryptionKey), inject: [HUB_CONFIG] },
    { provide: CursorCodec, useFactory: (c: HubConfig) => new CursorCodec(c.encryptionKey), inject: [HUB_CONFIG] },
  ],
  exports: [AccountsService, CursorCodec],
})
export class AccountsModule {}
