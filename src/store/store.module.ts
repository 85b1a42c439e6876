import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { AccountsRepository } from './accounts.repository';
import { ApiKeysRepository } from './api-keys.repository';
import { AuditEventsRepository } from './audit-events.repository';
import { BrowserSessionsRepository } from './browser-sessions.repository';
import { ConnectSessionsRepository } from './connect-sessions.repository';
import { HubDatabase, openDatabase } from './database';
import { DatabasePing } from './database-ping';
import { HUB_DATABASE } from './database.token';
import { DirectoryRepository } from './directory.repository';
import { ChangesRepository } from './changes.repository';
import { PeopleRepository } from './people.repository';
import { SeatsRepository } from './seats.repository';
import { SnapshotDiffRepository } from './snapshot-diff.repository';
import { SyncRunsRepository } from './sync-runs.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}

/** What the store offers the modules above it: one list, provided and exported alike. */
const REPOSITORIES = [
  AccountsRepository,
  SyncRunsRepository,
  DirectoryRepository,
  SeatsRepository,
  PeopleRepository,
  ApiKeysRepository,
  ChangesRepository,
  SnapshotDiffRepository,
  AuditEventsRepository,
  DatabasePing,
  WebhookEndpointsRepository,
  WebhookOutboxRepository,
  BrowserSessionsRepository,
  ConnectSessionsRepository,
];

/** The database (SQLite or PostgreSQL, migrated at open) and the repositories over it. */
@Module({
  providers: [
    { provide: HUB_DATABASE, useFactory: (c: HubConfig) => openDatabase(c.database), inject: [HUB_CONFIG] },
    DatabaseLifecycle,
    ...REPOSITORIES,
  ],
  exports: REPOSITORIES,
})
export class StoreModule {}
