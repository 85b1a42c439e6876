import { DynamicModule, Logger, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ApiConventionsModule } from './common/api-conventions.module';
import { ShutdownState } from './common/shutdown-state';
import { HUB_CONFIG } from './config/config.token';
import { Env, loadHubConfig } from './config/hub-config';
import { ConnectModule } from './connect/connect.module';
import { ConnectorKitModule } from './connector-kit/connector-kit.module';
import { HealthModule } from './health/health.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { ConnectorsManifest, readManifest, validateManifest } from './integrations/manifest';
import { HUB_MANIFEST } from './integrations/manifest.token';
import { MetricsModule } from './metrics/metrics.module';
import { ProxyModule } from './proxy/proxy.module';
import { StoreModule } from './store/store.module';
import { SyncModule } from './sync/sync.module';
import { SyncQueueModule } from './sync/sync-queue.module';
import { UnifiedDirectoryModule } from './unified/unified-directory.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { servedWebPage } from './web-page/web-page-files';
import { WebPageModule } from './web-page/web-page.module';

export interface HubModuleOptions {
  /** Environment to read settings from (default: process.env). */
  env?: Env;
  /** The manifest itself, or a path to it (default: connectors.manifest.json above this file). */
  manifest?: ConnectorsManifest | string;
}

/**
 * The hub's one public entry: validated configuration and the manifest (global, so every module
 * reads them), and the feature modules composed. Connectors are separate modules imported beside
 * it; the integrations registry finds them by their @Connector() decorator.
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
      imports: [
        EventEmitterModule.forRoot(),
        ConnectorKitModule,
        ApiConventionsModule,
        AuthModule,
        HealthModule,
        StoreModule,
        IntegrationsModule,
        AccountsModule,
        ConnectModule,
        SyncQueueModule.forRoot(config),
        SyncModule,
        UnifiedDirectoryModule,
        ProxyModule,
        AuditModule,
        WebhooksModule,
        MetricsModule,
        // Last: its files are served only where no API route answered.
        WebPageModule.forRoot(servedWebPage(config.role)),
      ],
      providers: [
        { provide: HUB_CONFIG, useValue: config },
        { provide: HUB_MANIFEST, useValue: manifest },
        ShutdownState,
      ],
      exports: [HUB_CONFIG, HUB_MANIFEST, ShutdownState],
    };
  }
}
