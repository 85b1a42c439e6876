import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { withLogFields } from '../common/log-context';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { AccountsRepository } from '../store/accounts.repository';
import { DirectoryRepository } from '../store/directory.repository';
import { SyncRunRow, SyncRunsRepository } from '../store/sync-runs.repository';
import { ownerIsGone, replicaId } from './replica';
import { SYNC_FINISHED, SyncFinishedEvent } from './sync-events';

/** What happens to the runs of a replica that stopped renewing: they fail, their rows go. */
const RECLAIMED = {
  error_code: 'HUB_RESTARTED',
  error_message: 'The hub replica running this sync stopped before it finished; the previous snapshot is still served.',
};

/** How often a running sync's progress is written for the other replicas to show. */
const PROGRESS_EVERY_MS = 1_000;

/**
 * Leases on sync runs, so several hub replicas can share one database. Each unfinished run names
 * its owner and a `lease_until` the owner renews (every third of HUB_SYNC_LEASE) while it holds
 * the run; any replica, at boot and on every renewal, reclaims only runs whose lease expired (or
 * whose owner process is gone from this host). A replica that finds its own run reclaimed (it was
 * paused longer than the lease) is told, and stops that run without touching what is served.
 */
@Injectable()
export class RunLeases implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly owner: string;
  private readonly logger = new Logger('RunLeases');
  private readonly held = new Map<string, () => void>();
  /** What each held run has done so far, and the last of it written (see writeProgress). */
  private readonly progress = new Map<string, { read: () => object; written: string | null }>();
  private timer?: NodeJS.Timeout;
  private progressTimer?: NodeJS.Timeout;
  private beating = false;
  /** Set by the sync service: a reclaimed run had one more run asked for; start it. */
  onFollowUp: (accountId: string, trigger: string) => void = () => undefined;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly runs: SyncRunsRepository,
    private readonly accounts: AccountsRepository,
    private readonly directory: DirectoryRepository,
    private readonly events: EventEmitter2,
  ) {
    this.owner = replicaId(config.replicaId);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reclaimExpired();
    const orphans = await this.directory.deleteOrphans();
    if (orphans > 0) this.logger.log(`removed ${orphans} rows of unfinished snapshots`);
    this.timer = setInterval(() => void this.beat(), Math.max(250, Math.floor(this.config.syncLeaseMs / 3)));
    this.timer.unref();
    this.progressTimer = setInterval(() => void this.writeProgress(), PROGRESS_EVERY_MS);
    this.progressTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    clearInterval(this.progressTimer);
  }

  /** The lease a run gets now. */
  leaseUntil(now = Date.now()): string {
    return new Date(now + this.config.syncLeaseMs).toISOString();
  }

  /**
   * Tracks a run this replica holds; `lost` is called if another replica reclaims it. `progress`
   * says what the run has done so far: written to its row every PROGRESS_EVERY_MS while it changes,
   * so every replica shows it (the run's final stats replace it when it ends).
   */
  hold(runId: string, lost: () => void, progress?: () => object): void {
    this.held.set(runId, lost);
    if (progress) this.progress.set(runId, { read: progress, written: null });
  }

  release(runId: string): void {
    this.held.delete(runId);
    this.progress.delete(runId);
  }

  /** Writes the progress of the held runs that moved since it was last written. */
  async writeProgress(): Promise<void> {
    for (const [runId, entry] of this.progress) {
      const stats = JSON.stringify(entry.read());
      if (stats === entry.written) continue;
      try {
        await this.runs.recordProgress(this.owner, runId, stats);
        entry.written = stats;
      } catch (error) {
        this.logger.warn(`could not record the progress of sync ${runId}: ${(error as Error).message}`);
      }
    }
  }

  /** One heartbeat: renew what this replica holds, then reclaim what others left. */
  async beat(now = Date.now()): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      if (this.held.size > 0) {
        const renewed = new Set(await this.runs.renewLeases(this.owner, [...this.held.keys()], this.leaseUntil(now)));
        for (const [runId, lost] of this.held) {
          if (renewed.has(runId)) continue;
          this.held.delete(runId);
          this.logger.warn(`sync ${runId} was reclaimed by another replica (its lease expired); stopping it`);
          lost();
        }
      }
      await this.reclaimExpired(now);
    } catch (error) {
      this.logger.error(`lease heartbeat failed: ${(error as Error).message}`);
    } finally {
      this.beating = false;
    }
  }

  /** Fails every unfinished run whose owner stopped renewing, and deletes the rows it wrote. */
  async reclaimExpired(now = Date.now()): Promise<number> {
    let reclaimed = 0;
    const nowIso = new Date(now).toISOString();
    for (const run of await this.runs.unfinished()) {
      if (!this.isAbandoned(run, nowIso)) continue;
      if (!(await this.runs.reclaim(run, { ...RECLAIMED, finished_at: nowIso }))) continue;
      reclaimed += 1;
      withLogFields({ run_id: run.id, account_id: run.account_id }, () =>
        this.logger.warn(`reclaimed sync ${run.id} of account ${run.account_id} from ${run.owner ?? 'no owner'} (lease ${run.lease_until ?? 'none'})`),
      );
      await this.directory.deleteSnapshot(run.id);
      await this.accounts.update(run.account_id, { last_sync_status: 'failed' });
      const integration = (await this.accounts.findById(run.account_id))?.integration ?? 'unknown';
      const durationMs = Math.max(0, now - Date.parse(run.started_at ?? run.queued_at));
      this.events.emit(SYNC_FINISHED, { accountId: run.account_id, runId: run.id, integration, status: 'failed', code: RECLAIMED.error_code, durationMs } satisfies SyncFinishedEvent);
      const latest = await this.runs.find(run.account_id, run.id);
      if (latest?.follow_up) this.onFollowUp(run.account_id, latest.follow_up);
    }
    return reclaimed;
  }

  private isAbandoned(run: SyncRunRow, nowIso: string): boolean {
    // Our own run is renewed while this process holds it; one it stopped holding (lost track of
    // after an error) expires like anyone's.
    if (run.owner === this.owner && this.held.has(run.id)) return false;
    // No owner and no lease: a run of a hub older than leases; nobody can be running it now.
    if (run.lease_until === null) return run.owner !== null || this.config.redis === null;
    // ISO 8601 UTC strings of one format compare as times.
    return run.lease_until < nowIso || (run.owner !== null && run.owner !== this.owner && ownerIsGone(run.owner));
  }
}
