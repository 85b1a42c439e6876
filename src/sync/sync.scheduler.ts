import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { AccountsRepository } from '../store/accounts.repository';
import { SyncRunsRepository } from '../store/sync-runs.repository';
import { SYNC_QUEUE, SyncQueue } from './sync-queue';
import { SHUTDOWN_ERROR, SyncService } from './sync.service';

/** After a failed run, the next scheduled try waits this long (or the interval, if shorter). */
const RETRY_FAILED_AFTER_MS = 15 * 60_000;

/**
 * Starts a sync for every account whose last sync is older than HUB_SYNC_INTERVAL. Ticks often
 * (at most every minute) rather than once per interval, so a restart or a failed run does not push
 * an account's next sync a whole interval away. The tick is the sync queue's: a timer of this
 * process in embedded mode, one BullMQ job scheduler for the whole cluster otherwise.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncScheduler');
  private ticking = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    private readonly accounts: AccountsRepository,
    private readonly runs: SyncRunsRepository,
    private readonly sync: SyncService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role === 'api') return;
    await this.queue.schedule(Math.min(this.config.syncIntervalMs, 60_000), () => this.tick());
  }

  async tick(now = Date.now()): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    let started = 0;
    try {
      await this.sync.requeueStranded(now);
      for (const account of await this.accounts.all()) {
        if (account.status !== 'active' || this.sync.isRunning(account.id)) continue;
        const latest = account.last_sync_status === 'failed' ? await this.runs.latest(account.id) : undefined;
        // A run a shutdown stopped, not handed back (Redis was away): run again now, due or not.
        if (latest?.status === 'failed' && latest.error_code === SHUTDOWN_ERROR.code) {
          await this.sync.start(account.id, latest.trigger as 'manual' | 'scheduled' | 'initial');
          started += 1;
          continue;
        }
        const last = account.last_synced_at ? Date.parse(account.last_synced_at) : 0;
        if (now - last < this.config.syncIntervalMs) continue;
        if (account.last_sync_status === 'failed') {
          // A failing upstream is not hammered every tick: wait before trying again.
          const tried = latest ? Date.parse(latest.finished_at ?? latest.queued_at) : 0;
          if (now - tried < Math.min(RETRY_FAILED_AFTER_MS, this.config.syncIntervalMs)) continue;
        }
        await this.sync.start(account.id, 'scheduled');
        started += 1;
      }
    } catch (error) {
      this.logger.error(`scheduled sync tick failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
    return started;
  }
}
