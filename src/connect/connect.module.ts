import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { StoreModule } from '../store/store.module';
import { ConnectSessionsController } from './connect-sessions.controller';
import { ConnectSessionsService } from './connect-sessions.service';

/** Connect links for end customers (POST /connect-sessions and the token-only /connect-sessions/current routes). */
@Module({
  imports: [StoreModule, IntegrationsModule, AccountsModule],
  controllers: [ConnectSessionsController],
  providers: [ConnectSessionsService],
})
export class ConnectModule {}
