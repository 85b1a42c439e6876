import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { RememberingValidationPipe } from '../common/remembering-validation.pipe';
import { APP_FILTER, APP_GUARD, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AccountsController } from '../accounts/accounts.controller';
import { AccountsService } from '../accounts/accounts.service';
import { CredentialCipher } from '../accounts/credential-cipher';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { CursorCodec } from '../common/cursor-codec';
import { HubExceptionFilter } from '../common/http-exception.filter';
import { Env, HubConfig, loadHubConfig } from '../config/hub-config';
import { HealthController } from '../health/health.controller';
import { ProxyController } from '../proxy/proxy.controller';
import { AccountsRepository } from '../store/accounts.repository';
import { HubDatabase, openDatabase } from '../store/database';
import { DirectoryRepository } from '../store/directory.repository';
import { SyncRunsRepository } from '../store/sync-runs.repository';
import { SyncController } from '../sync/sync.controller';
import { SyncScheduler } from '../sync/sync.scheduler';
import { SyncService } from '../sync/sync.service';
import { UnifiedController } from '../unified/unified.controller';
import { UnifiedService } from '../unified/unified.service';
import { ConnectorRegistry } from './connector.registry';
import { UpstreamHttp } from './http/upstream-http';
import { IntegrationsController } from './integrations.controller';
import { ConnectorsManifest, readManifest, validateManifest } from './manifest';
import { HUB_CONFIG, HUB_DATABASE, HUB_MANIFEST } from './tokens';

export interface HubModuleOptions {
  /** Environment to read settings from (default: process.env). */
  env?: Env;
  /** The manifest itself, or a path to it (default: connectors.manifest.json above this file). */
  manifest?: ConnectorsManifest | string;
}

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * The hub: store, accounts, sync, unified API, proxy. Connectors are separate modules imported
 * beside it; the registry finds them by their @Connector() decorator.
 */
@Module({})
export class HubModule {
  static forRoot(options: HubModuleOptions = {}): DynamicModule {
    const manifest =
      typeof options.manifest === 'object' ? validateManifest(options.manifest) : readManifest(options.manifest);
    const config = loadHubConfig(options.env ?? process.env, manifest.connectors.map((c) => c.id));
    const logger = new Logger('Hub');
    for (const notice of config.notices) logger[notice.level](notice.message);

    return {
      module: HubModule,
      global: true,
      imports: [DiscoveryModule, ScheduleModule.forRoot()],
      controllers: [
        HealthController,
        IntegrationsController,
        AccountsController,
        SyncController,
        UnifiedController,
        ProxyController,
      ],
      providers: [
        { provide: HUB_CONFIG, useValue: config },
        { provide: HUB_MANIFEST, useValue: manifest },
        { provide: HUB_DATABASE, useFactory: (c: HubConfig) => openDatabase(c.database), inject: [HUB_CONFIG] },
        { provide: CredentialCipher, useFactory: (c: HubConfig) => new CredentialCipher(c.encryptionKey), inject: [HUB_CONFIG] },
        { provide: CursorCodec, useFactory: (c: HubConfig) => new CursorCodec(c.encryptionKey), inject: [HUB_CONFIG] },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HubExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new RememberingValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
        DatabaseLifecycle,
        AccountsRepository,
        SyncRunsRepository,
        DirectoryRepository,
        ConnectorRegistry,
        UpstreamHttp,
        AccountsService,
        SyncService,
        SyncScheduler,
        UnifiedService,
      ],
      exports: [HUB_CONFIG, UpstreamHttp, ConnectorRegistry],
    };
  }
}
