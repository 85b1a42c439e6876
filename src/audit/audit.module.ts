import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { CursorCodec } from '../common/cursor-codec';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { StoreModule } from '../store/store.module';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditLog } from './audit-log';
import { AuditRetention } from './audit-retention';

/**
 * The audit trail: a global interceptor appends one row per write (see audited-routes.ts for what
 * each says), GET /audit-events reads them, and rows older than HUB_AUDIT_RETENTION are pruned.
 */
@Module({
  imports: [StoreModule, AuthModule],
  controllers: [AuditController],
  providers: [
    AuditLog,
    AuditRetention,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
    { provide: CursorCodec, useFactory: (c: HubConfig) => new CursorCodec(c.encryptionKey, c.previousEncryptionKeys), inject: [HUB_CONFIG] },
  ],
})
export class AuditModule {}
