import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SnapshotDiffRepository } from '../store/snapshot-diff.repository';
import { SyncService } from './sync.service';

/**
 * After an upgrade, snapshots written before seats and the people index existed have neither, so
 * reclaimable seats, utilization and people would be empty until the next scheduled sync (up to
 * HUB_SYNC_INTERVAL later). Those accounts are synced once at boot instead.
 */
@Injectable()
export class DerivedRowsUpgrade implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncService');

  constructor(
    private readonly diff: SnapshotDiffRepository,
    private readonly sync: SyncService,
  ) {}

  onApplicationBootstrap(): void {
    void this.resync().catch((error: Error) => this.logger.warn(`could not check for snapshots without seats: ${error.message}`));
  }

  async resync(): Promise<string[]> {
    const accounts = await this.diff.accountsMissingDerivedRows();
    for (const id of accounts) {
      this.logger.log(`account ${id}: its snapshot predates seats and people; syncing it now`);
      await this.sync.start(id, 'scheduled');
    }
    return accounts;
  }
}
