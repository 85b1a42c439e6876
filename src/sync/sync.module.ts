import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { StoreModule } from '../store/store.module';
import { EmbeddedSyncQueue } from './embedded-sync-queue';
import { InitialSyncListener } from './initial-sync.listener';
import { RunLeases } from './run-leases';
import { SyncController } from './sync.controller';
import { SYNC_QUEUE } from './sync-queue';
import { SyncScheduler } from './sync.scheduler';
import { SyncService } from './sync.service';

/** Sync runs: started at connect, on schedule and on request; their history. */
@Module({
  imports: [StoreModule, AccountsModule],
  controllers: [SyncController],
  providers: [
    { provide: SYNC_QUEUE, useFactory: (c: HubConfig) => new EmbeddedSyncQueue(c.syncConcurrency), inject: [HUB_CONFIG] },
    RunLeases,
    SyncService,
    SyncScheduler,
    InitialSyncListener,
  ],
  exports: [SyncService],
})
export class SyncModule {}
