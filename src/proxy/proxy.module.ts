import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ProxyController } from './proxy.controller';

/** `/proxy/*`: one request passed through to the account's upstream with its credentials injected. */
@Module({ imports: [AccountsModule], controllers: [ProxyController] })
export class ProxyModule {}
