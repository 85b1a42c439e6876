import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DirectoryRepository } from '../store/directory.repository';

/**
 * How long a replaced snapshot stays readable. A read that picked the snapshot id just before a
 * switch (or another process whose account row is up to a second old) still finds every row; 60 s
 * is far more than a page read takes.
 */
export const RETIRE_AFTER_MS = 60_000;

/**
 * Deletes replaced snapshots after a grace period instead of at the switch. At shutdown the pending
 * ones are deleted at once; if the process dies first, they are orphans that the boot-time cleanup
 * removes.
 */
@Injectable()
export class SnapshotRetirer implements OnApplicationShutdown {
  private readonly logger = new Logger('SyncService');
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly directory: DirectoryRepository) {}

  retire(snapshotId: string, afterMs = RETIRE_AFTER_MS): void {
    if (this.pending.has(snapshotId)) return;
    const timer = setTimeout(() => void this.delete(snapshotId), afterMs);
    timer.unref();
    this.pending.set(snapshotId, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    const ids = [...this.pending.keys()];
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const id of ids) await this.delete(id);
  }

  private async delete(snapshotId: string): Promise<void> {
    this.pending.delete(snapshotId);
    try {
      await this.directory.deleteSnapshot(snapshotId);
    } catch (error) {
      // Left as an orphan: the boot-time cleanup removes it.
      this.logger.warn(`could not delete replaced snapshot ${snapshotId}: ${(error as Error).message}`);
    }
  }
}
