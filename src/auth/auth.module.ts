import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { CursorCodec } from '../common/cursor-codec';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { StoreModule } from '../store/store.module';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { BrowserSessionsService } from './browser-sessions.service';
import { SessionController } from './session.controller';
import { KeyRateLimitGuard } from './key-rate-limit.guard';
import { WorkerRoleGuard } from './worker-role.guard';

/**
 * Every route needs an API key unless it is marked @Public(): the root key (HUB_API_KEY) or a stored
 * scoped one (/api-keys), within its rate limit. The guards run in the order listed: who, may they,
 * how often. A worker replica (HUB_ROLE=worker) serves only the public routes.
 */
@Module({
  imports: [
    StoreModule,
    ThrottlerModule.forRootAsync({
      inject: [HUB_CONFIG],
      // Counters live in the process (the throttler's default storage). Cluster mode gives a shared
      // one here (`storage:` option, e.g. Redis); the per-key limit and the failed-authentication
      // limit both use it.
      useFactory: (config: HubConfig) => ({
        // blockDuration 0: a sliding minute; a key over the limit waits only until its oldest request leaves the window.
        throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute), blockDuration: 0 }],
      }),
    }),
  ],
  controllers: [ApiKeysController, SessionController],
  providers: [
    ApiKeyAuthenticator,
    AuthFailureLimiter,
    ApiKeysService,
    BrowserSessionsService,
    { provide: CursorCodec, useFactory: (c: HubConfig) => new CursorCodec(c.encryptionKey, c.previousEncryptionKeys), inject: [HUB_CONFIG] },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: KeyRateLimitGuard },
    { provide: APP_GUARD, useClass: WorkerRoleGuard },
  ],
  exports: [ApiKeyAuthenticator],
})
export class AuthModule {}
