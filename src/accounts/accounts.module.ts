import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CursorCodec } from '../common/cursor-codec';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { IntegrationsModule } from '../integrations/integrations.module';
import { StoreModule } from '../store/store.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { EncryptionController } from './encryption.controller';
import { CredentialCipher } from './credential-cipher';
import { KeyRotation } from './key-rotation';
import { SeatPricesController } from './seat-prices.controller';

/**
 * Integrated accounts: connect (credentials tested, then sealed), read, update, delete; the
 * encryption keys' rotation (key-rotation.ts). Also the cursor codec, since every list above it
 * signs its cursors with the same key.
 */
@Module({
  imports: [StoreModule, IntegrationsModule, AuthModule],
  controllers: [AccountsController, SeatPricesController, EncryptionController],
  providers: [
    AccountsService,
    KeyRotation,
    { provide: CredentialCipher, useFactory: (c: HubConfig) => new CredentialCipher(c.encryptionKey, c.previousEncryptionKeys), inject: [HUB_CONFIG] },
    { provide: CursorCodec, useFactory: (c: HubConfig) => new CursorCodec(c.encryptionKey, c.previousEncryptionKeys), inject: [HUB_CONFIG] },
  ],
  exports: [AccountsService, CursorCodec, CredentialCipher],
})
export class AccountsModule {}
