import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { StoreModule } from '../store/store.module';
import { ChangeRecorder } from './change-recorder';
import { DerivedRowsUpgrade } from './derived-rows-upgrade';
import { SnapshotRetirer } from './snapshot-retirer';
import { InitialSyncListener } from './initial-sync.listener';
import { RunLeases } from './run-leases';
import { SyncController } from './sync.controller';
import { SyncScheduler } from './sync.scheduler';
import { SyncService } from './sync.service';

/** Sync runs: started at connect, on schedule and on request; their history. The queue comes from SyncQueueModule. */
@Module({
  imports: [StoreModule, AccountsModule],
  controllers: [SyncController],
  providers: [RunLeases, SyncService, SyncScheduler, InitialSyncListener, ChangeRecorder, DerivedRowsUpgrade, SnapshotRetirer],
  exports: [SyncService],
})
export class SyncModule {}
