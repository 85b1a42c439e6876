import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { HubError, isHubError } from '../common/errors';
import { sortableId } from '../common/ids';
import { withLogFields } from '../common/log-context';
import { ShutdownState } from '../common/shutdown-state';
import { AccountsService } from '../accounts/accounts.service';
import { SYSTEM } from '../auth/principal';
import type { ConnectorAccount, ConnectorPage, HubConnector, PageRequest } from '../connector-kit/connector.contract';
import { AccountRow, AccountsRepository } from '../store/accounts.repository';
import { PeopleRepository } from '../store/people.repository';
import { ChangeRecorder } from './change-recorder';
import { SnapshotRetirer } from './snapshot-retirer';
import { SeatsRepository } from '../store/seats.repository';
import { DirectoryRepository } from '../store/directory.repository';
import type { DirectoryResource } from '../connector-kit/unified.types';
import { SyncRunRow, SyncRunsRepository } from '../store/sync-runs.repository';
import { RunProgress, SyncRunScope } from './run-scope';
import { RunLeases } from './run-leases';
import { SYNC_QUEUE, SyncJob, SyncQueue } from './sync-queue';
import { SnapshotWriter } from './snapshot-writer';
import type { OverlayKind, UnifiedItem } from '../connector-kit/snapshot-records';
import type { SyncStats } from './sync-run.view';
import { SYNC_FAILED, SYNC_FINISHED, SYNC_RECORDED, SyncFailedEvent, SyncFinishedEvent, SyncRecordedEvent } from './sync-events';

type Lister = (account: ConnectorAccount, page: PageRequest) => Promise<ConnectorPage<UnifiedItem>>;

/** Guard against a connector whose cursors never end. */
const MAX_PAGES_PER_LIST = 100_000;
/**
 * A manual ask this long after the running run started gets a follow-up run. Asks closer to the
 * start belong to the same burst (several clients, or one sent to every replica) and the run's
 * reads began about then anyway; the margin also absorbs clock differences between replicas.
 */
const FOLLOW_UP_AFTER_MS = 1_000;
/**
 * A run waiting this long in a shared queue is handed to it again: its job may have been lost with
 * Redis's data (a flush, a failover without persistence), and the account would stay blocked.
 */
const STRANDED_AFTER_MS = 2 * 60_000;
/** How often a replica looks whether another replica's run of an account has finished. */
const REMOTE_RUN_POLL_MS = 250;
/** After HUB_SHUTDOWN_TIMEOUT, how long the runs stopped then get to record their end. */
const STOP_GRACE_MS = 5_000;
/** The error of a run ended by a shutdown: it is run again (by another replica, or after the restart). */
export const SHUTDOWN_ERROR = {
  code: 'HUB_SHUTDOWN',
  message: 'The hub replica running this sync was shut down (SIGTERM) before it finished; the sync is run again and the previous snapshot is still served.',
} as const;

type Trigger = 'initial' | 'scheduled' | 'manual';

/** A run this replica holds: waiting in its embedded queue, or executing here. */
interface LocalRun {
  run: SyncRunRow;
  scope: SyncRunScope;
  done: Promise<void>;
  settle: () => void;
}

/**
 * Sync runs: read everything through the connector, write a new snapshot, switch to it only when
 * the whole read succeeded. One run per account at a time, across every replica on the database:
 * the run row is registered first (a unique index refuses a second unfinished one), then handed
 * to the SyncQueue, whose worker (here or on another replica) claims and executes it.
 */
@Injectable()
export class SyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncService');
  private readonly local = new Map<string, LocalRun>();
  private draining = false;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly accountsService: AccountsService,
    private readonly accounts: AccountsRepository,
    private readonly runs: SyncRunsRepository,
    private readonly directory: DirectoryRepository,
    private readonly seats: SeatsRepository,
    private readonly people: PeopleRepository,
    private readonly changeFeed: ChangeRecorder,
    private readonly retirer: SnapshotRetirer,
    private readonly leases: RunLeases,
    @Inject(SYNC_QUEUE) private readonly queue: SyncQueue,
    private readonly events: EventEmitter2,
    private readonly shutdown: ShutdownState,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.leases.onFollowUp = (accountId, trigger) => void this.startFollowUp(accountId, trigger);
    // An api replica only registers runs; worker replicas take them from the shared queue.
    if (this.config.role !== 'api') await this.queue.process((job) => this.runJob(job));
    await this.resumeAfterShutdown();
  }

  /**
   * Runs ended by a shutdown are run again: the draining replica queues them in cluster mode, and
   * this catches the rest (the embedded queue died with its process; a queueing that failed).
   */
  private async resumeAfterShutdown(): Promise<void> {
    for (const account of await this.accounts.all()) {
      if (account.status !== 'active') continue;
      const latest = await this.runs.latest(account.id);
      if (latest?.status !== 'failed' || latest.error_code !== SHUTDOWN_ERROR.code) continue;
      withLogFields({ run_id: latest.id, account_id: account.id }, () => this.logger.log(`sync ${latest.id} of account ${account.id} was ended by a shutdown; running it again`));
      await this.start(account.id, latest.trigger as Trigger).catch((error: Error) => this.logger.error(`could not run again the sync of account ${account.id}: ${error.message}`));
    }
  }

  /**
   * SIGTERM (see shutdown.ts): takes no more jobs, lets the runs going here finish within
   * `timeoutMs`, then stops the rest. A stopped run, or one that waited here and never started,
   * ends failed with HUB_SHUTDOWN (its rows deleted, the previous snapshot still served) and is
   * run again: queued at once for another replica in cluster mode, at the next boot otherwise.
   * Resolves with what happened; never waits longer than `timeoutMs` + STOP_GRACE_MS.
   */
  async drain(timeoutMs: number): Promise<{ finished: number; stopped: number; dropped: number; leftRunning: number }> {
    this.draining = true;
    this.shutdown.draining = true;
    // A queue that fails to stop (Redis away) must not fail the drain: the runs are what it waits for.
    const stopped = this.queue.stopTaking().catch((error: Error) => this.logger.warn(`the sync queue did not stop cleanly: ${error.message}`));
    let dropped = 0;
    for (const entry of [...this.local.values()]) {
      if (entry.run.status !== 'queued') continue;
      await this.endUnstarted(entry.run);
      dropped += 1;
    }
    const going = [...this.local.values()];
    const allDone = Promise.all([stopped, ...going.map((entry) => entry.done)]).then(() => true);
    if (await within(allDone, timeoutMs)) return { finished: going.length, stopped: 0, dropped, leftRunning: 0 };
    const cut = [...this.local.values()];
    for (const entry of cut) {
      withLogFields({ run_id: entry.run.id, account_id: entry.run.account_id }, () =>
        this.logger.warn(`stopping sync ${entry.run.id} of account ${entry.run.account_id}: HUB_SHUTDOWN_TIMEOUT (${timeoutMs} ms) is over`),
      );
      entry.scope.stop(new HubError('HUB_SHUTDOWN', SHUTDOWN_ERROR.message));
    }
    await within(allDone, STOP_GRACE_MS);
    return { finished: going.length - cut.length, stopped: cut.length, dropped, leftRunning: this.local.size };
  }

  /** A run that waited in this replica's embedded queue and never started: failed with HUB_SHUTDOWN (it wrote nothing). */
  private async endUnstarted(run: SyncRunRow): Promise<void> {
    const finishedAt = new Date().toISOString();
    const ended = await this.runs.finishOwned(run.id, this.leases.owner, { finished_at: finishedAt, error_code: SHUTDOWN_ERROR.code, error_message: SHUTDOWN_ERROR.message });
    this.untrack(run);
    if (ended === false) return;
    await this.accounts.update(run.account_id, { last_sync_status: 'failed', updated_at: finishedAt });
    this.finished(run, 'failed', SHUTDOWN_ERROR.code);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }

  /**
   * Registers a run and queues it, or returns the one already queued or going for this account
   * (on any replica). A manual run asked for while that one reads (FOLLOW_UP_AFTER_MS after its
   * start) gets one more run after it, so what changed meanwhile is seen; asked several times, still one.
   */
  async start(accountId: string, trigger: Trigger): Promise<SyncRunRow> {
    const askedAt = Date.now();
    await this.accountsService.get(accountId, SYSTEM);
    const held = this.queue.holdsQueuedRuns;
    // A run queued in this process now would die with it; in cluster mode the queue outlives us.
    if (held && this.draining) {
      throw new HubError('SHUTTING_DOWN', 'This hub is shutting down and starts no sync; ask again once it is back (the account is synced at boot if a run was cut)', { retryAfterSeconds: 5 });
    }
    const run: SyncRunRow = {
      id: sortableId(),
      account_id: accountId,
      trigger,
      status: 'queued',
      queued_at: new Date(askedAt).toISOString(),
      started_at: null,
      finished_at: null,
      stats: JSON.stringify(emptyStats()),
      error_code: null,
      error_message: null,
      owner: held ? this.leases.owner : null,
      lease_until: held ? this.leases.leaseUntil() : null,
      follow_up: null,
    };
    for (;;) {
      const existing = await this.runs.insertUnfinished(run);
      if (!existing) break;
      const startedBeforeAsked = existing.status === 'running' && existing.started_at !== null && Date.parse(existing.started_at) + FOLLOW_UP_AFTER_MS < askedAt;
      if (trigger !== 'manual' || !startedBeforeAsked) return existing;
      if (await this.runs.requestFollowUp(existing.id, trigger)) return existing;
      // It finished between the two statements: register ours after all.
    }
    if (held) this.track(run);
    try {
      await this.queue.enqueue({ runId: run.id, accountId });
    } catch (error) {
      // Closed as it was registered (owned here, or by nobody in a shared queue), so the account is not blocked.
      await this.runs.reclaim(run, { finished_at: new Date().toISOString(), error_code: 'INTERNAL', error_message: 'The run could not be queued; the hub log has the details.' });
      this.untrack(run);
      throw error;
    }
    return run;
  }

  /** A run of the account is queued or going on this replica. */
  isRunning(accountId: string): boolean {
    return this.local.has(accountId);
  }

  /** A run of the account is queued or going on any replica. */
  async hasUnfinishedRun(accountId: string): Promise<boolean> {
    return this.local.has(accountId) || (await this.runs.unfinishedOf(accountId)) !== undefined;
  }

  /** Live progress of a run executing on this replica, merged into its stored record. */
  liveStats(accountId: string, runId: string): Partial<SyncStats> | null {
    const entry = this.local.get(accountId);
    if (!entry || entry.run.id !== runId) return null;
    return progressStats(entry.scope.progress);
  }

  /** Waits up to `ms` for the account's unfinished run (here or on another replica); true when none is left. */
  async waitForRun(accountId: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    const entry = this.local.get(accountId);
    if (entry) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
      const finished = await Promise.race([entry.done.then(() => true), timeout]);
      clearTimeout(timer);
      if (!finished) return false;
    }
    while (await this.runs.unfinishedOf(accountId)) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, REMOTE_RUN_POLL_MS));
    }
    return true;
  }

  /**
   * Queues again the runs that have waited in a shared queue for longer than STRANDED_AFTER_MS.
   * Harmless when their job is still there: the queue deduplicates per account, and a worker
   * claims a run only while it is queued.
   */
  async requeueStranded(now = Date.now()): Promise<number> {
    if (this.queue.holdsQueuedRuns) return 0;
    let requeued = 0;
    for (const run of await this.runs.unfinished()) {
      if (run.status !== 'queued' || run.owner !== null || now - Date.parse(run.queued_at) < STRANDED_AFTER_MS) continue;
      await this.queue.enqueue({ runId: run.id, accountId: run.account_id });
      requeued += 1;
    }
    if (requeued > 0) this.logger.warn(`queued ${requeued} sync run(s) again that had waited more than ${STRANDED_AFTER_MS / 60_000} min`);
    return requeued;
  }

  /** A queued run reaches a worker: claim it for this replica, execute it, then its follow-up if one was asked for. */
  private async runJob(job: SyncJob): Promise<void> {
    const claimed = await this.runs.claim(job.runId, this.leases.owner, this.leases.leaseUntil(), new Date().toISOString());
    const entry = this.local.get(job.accountId);
    if (!claimed) {
      // Reclaimed while it waited, or already taken by another worker: nothing to do here.
      if (entry?.run.id === job.runId) this.untrack(entry.run);
      return;
    }
    const mine = entry?.run.id === job.runId ? entry : this.track(claimed);
    mine.run = claimed;
    let followUp: string | null = null;
    try {
      mine.scope.begin();
      const account = await this.accountsService.get(job.accountId, SYSTEM);
      followUp = await withLogFields({ run_id: claimed.id, account_id: claimed.account_id }, () => this.execute(account, claimed, mine.scope));
    } finally {
      this.untrack(claimed);
    }
    // Stopped by a shutdown: run again, by another replica, if the queue answers (else the next
    // schedule tick of any replica, or the next boot, runs it: see SyncScheduler and resumeAfterShutdown).
    if (mine.scope.stopReason && !this.queue.holdsQueuedRuns && (await within(this.queue.ping(), 1_000).catch(() => false))) followUp ??= claimed.trigger;
    if (followUp) await this.startFollowUp(job.accountId, followUp);
  }

  private finished(run: SyncRunRow, status: 'succeeded' | 'failed', code: string | null, integration?: string): void {
    const since = Date.parse(run.started_at ?? run.queued_at);
    const event: SyncFinishedEvent = { accountId: run.account_id, runId: run.id, integration: integration ?? 'unknown', status, code, durationMs: Math.max(0, Date.now() - since) };
    this.events.emit(SYNC_FINISHED, event);
  }

  private async startFollowUp(accountId: string, trigger: string): Promise<void> {
    try {
      await this.start(accountId, trigger as Trigger);
    } catch (error) {
      this.logger.error(`the follow-up sync of account ${accountId} could not start: ${(error as Error).message}`);
    }
  }

  private track(run: SyncRunRow): LocalRun {
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const entry: LocalRun = { run, scope: new SyncRunScope(this.config.syncBudgetMs), done, settle };
    this.local.set(run.account_id, entry);
    this.leases.hold(run.id, () => entry.scope.cancel(), () => progressStats(entry.scope.progress));
    return entry;
  }

  private untrack(run: SyncRunRow): void {
    const entry = this.local.get(run.account_id);
    this.leases.release(run.id);
    if (entry?.run.id !== run.id) return;
    entry.scope.finish();
    this.local.delete(run.account_id);
    entry.settle();
  }

  /** Runs the sync and records how it ended; returns the trigger of a follow-up run asked for meanwhile, if any. */
  private async execute(row: AccountRow, run: SyncRunRow, scope: SyncRunScope): Promise<string | null> {
    const started = Date.now();
    const stats = emptyStats();
    let switched = false;
    try {
      const previous = row.current_snapshot_id;
      const writer = new SnapshotWriter(this.directory, { seats: this.seats, people: this.people }, run.id);
      const clock = new PhaseClock();
      // In the account's redaction scope: a failure stored or logged below never quotes its credentials.
      await this.accountsService.withConnector(row, scope, async (connector, account) => {
        const impl = connector.implementation;
        if (impl.readSnapshot) await this.copySnapshot(impl, account, writer, stats, clock);
        else await this.copyLists(impl, account, writer, stats, clock);
      });
      await clock.time('writing', () => writer.finish());
      stats.timings = { reading_ms: clock.reading, writing_ms: clock.writing };
      Object.assign(stats, await this.directory.compare(previous, run.id, 'users'));

      // Deleted while we read? Then there is nothing to switch and the rows are garbage.
      if (!(await this.accounts.findById(row.id))) {
        await this.directory.deleteSnapshot(run.id);
        return null;
      }
      const finishedAt = new Date().toISOString();
      // What changed since the previous snapshot, written aside: served once the switch below commits.
      const previousRun = previous && row.last_synced_at ? { snapshotId: previous, finishedAt: row.last_synced_at } : null;
      stats.changes = await this.changeFeed.record({ accountId: row.id, runId: run.id, previous: previousRun, snapshotId: run.id, finishedAt, inactiveDays: row.inactive_days ?? undefined });
      Object.assign(stats, { upstream_requests: scope.progress.upstream_requests, retries: scope.progress.retries, retry_reasons: scope.progress.retry_reasons });
      // Listeners (webhooks' outbox) write beside the change rows; served, like them, once the switch commits.
      await this.events.emitAsync(SYNC_RECORDED, { accountId: row.id, runId: run.id, finishedAt, stats } satisfies SyncRecordedEvent);
      // The switch: one transaction marks the run succeeded (only if this replica still holds it)
      // and makes its snapshot the one served; the change feed rows it wrote are served from then on.
      const committed = await this.runs.commitSuccess(run.id, this.leases.owner, { finished_at: finishedAt, stats: JSON.stringify(stats) }, row.id, {
        current_snapshot_id: run.id, last_synced_at: finishedAt, last_sync_status: 'succeeded', updated_at: finishedAt,
      });
      this.accounts.forget(row.id);
      if (committed === false) {
        this.logger.warn(`sync ${run.id} of account ${row.id} finished after another replica reclaimed it; its data is dropped and the previous snapshot stays`);
        await this.directory.deleteSnapshot(run.id);
        return null;
      }
      switched = true;
      this.finished(run, 'succeeded', null, row.integration);
      // Reads that picked the previous snapshot just before the switch (here or on another replica,
      // whose account row may be a second old) still find it for a while.
      if (previous) this.retirer.retire(previous);
      await this.changeFeed.prune(row.id).catch((error: Error) => this.logger.warn(`could not prune the change feed of ${row.id}: ${error.message}`));
      this.logger.log(
        `sync ${run.id} of ${row.integration} account ${row.id} succeeded in ${Date.now() - started} ms: ` +
          `${stats.users} users (+${stats.users_added} -${stats.users_removed} ~${stats.users_changed}), ${stats.pages} pages, ${stats.retries} retries`,
      );
      return committed;
    } catch (error) {
      // After the switch the run has succeeded: nothing may undo it (fail() would delete the served snapshot).
      if (switched) {
        this.logger.error(`sync ${run.id} succeeded, but what followed failed: ${(error as Error)?.message ?? error}`);
        return null;
      }
      return this.fail(row, run, scope, stats, error);
    }
  }

  /** A connector's own serialised snapshot, written chunk by chunk as the connector hands it over. */
  private async copySnapshot(impl: HubConnector, account: ConnectorAccount, writer: SnapshotWriter, stats: SyncStats, clock: PhaseClock): Promise<void> {
    const started = Date.now();
    const writingBefore = clock.writing;
    await impl.readSnapshot!(account, {
      write: (chunk) => {
        if ('records' in chunk) {
          stats.pages += 1;
          stats.records += chunk.records.length;
        }
        return clock.time('writing', () => writer.writeChunk(chunk));
      },
    });
    // Writes happen while the connector reads: whatever was not writing was reading.
    clock.reading += Date.now() - started - (clock.writing - writingBefore);
  }

  /** Every list through the connector's paged list methods; overlays computed here. */
  private async copyLists(impl: HubConnector, account: ConnectorAccount, writer: SnapshotWriter, stats: SyncStats, clock: PhaseClock): Promise<void> {
    const lists: { kind: DirectoryResource; list?: Lister; overlay?: OverlayKind }[] = [
      { kind: 'users', list: impl.listUsers.bind(impl), overlay: 'users:with-outdated' },
      { kind: 'groups', list: impl.listGroups?.bind(impl) },
      { kind: 'licenses', list: impl.listLicenses?.bind(impl), overlay: 'licenses:with-outdated' },
    ];
    for (const { kind, list, overlay } of lists) {
      if (!list) continue;
      const items = await clock.time('reading', () => this.readAll(list, account, false, stats));
      await clock.time('writing', () => writer.writeList(kind, items));
      if (overlay) {
        const variant = await clock.time('reading', () => this.readAll(list, account, true, stats));
        await clock.time('writing', () => writer.writeOverlay(overlay, items, variant));
      }
    }
  }

  /** Follows the connector's cursor to the end of one list, guarded against a cursor that repeats. */
  private async readAll(list: Lister, account: ConnectorAccount, includeOutdated: boolean, stats: SyncStats): Promise<UnifiedItem[]> {
    const items: UnifiedItem[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; pages < MAX_PAGES_PER_LIST; pages++) {
      const page = await list(account, { cursor, includeOutdated });
      stats.pages += 1;
      stats.records += page.items.length;
      for (const item of page.items) items.push(item);
      if (page.nextCursor === null) return items;
      if (seenCursors.has(page.nextCursor)) throw new HubError('UPSTREAM_MALFORMED_RESPONSE', 'the connector returned a cursor it had already returned; stopped the page loop');
      seenCursors.add(page.nextCursor);
      cursor = page.nextCursor;
    }
    throw new HubError('UPSTREAM_MALFORMED_RESPONSE', `more than ${MAX_PAGES_PER_LIST} pages; stopped the page loop`);
  }

  private async fail(row: AccountRow, run: SyncRunRow, scope: SyncRunScope, stats: SyncStats, error: unknown): Promise<string | null> {
    const hubError = isHubError(error) ? error : null;
    // Stopped by a shutdown: whatever the read failed with as it was cut, that is why it ended.
    const code = scope.stopReason ? SHUTDOWN_ERROR.code : (hubError?.code ?? 'INTERNAL');
    const message = scope.stopReason ? SHUTDOWN_ERROR.message : (hubError?.message ?? 'Unexpected error; the hub log has the details.');
    if (scope.stopReason) this.logger.warn(`sync ${run.id} of account ${row.id} was stopped by the shutdown`);
    else if (!hubError) this.logger.error(`sync ${run.id} crashed: ${(error as Error)?.stack ?? error}`);
    else this.logger.warn(`sync ${run.id} of account ${row.id} failed: ${code}: ${message}`);
    Object.assign(stats, { upstream_requests: scope.progress.upstream_requests, retries: scope.progress.retries, retry_reasons: scope.progress.retry_reasons });
    try {
      await this.directory.deleteSnapshot(run.id);
      const followUp = await this.runs.finishOwned(run.id, this.leases.owner, {
        finished_at: new Date().toISOString(),
        stats: JSON.stringify(stats),
        error_code: code,
        error_message: message,
      });
      // Reclaimed by another replica meanwhile: it recorded the failure already.
      if (followUp === false) return null;
      const changes: Partial<AccountRow> = { last_sync_status: 'failed', updated_at: new Date().toISOString() };
      if (code === 'UPSTREAM_AUTH_FAILED') changes.status = 'needs_reauth';
      await this.accounts.update(row.id, changes);
      this.finished(run, 'failed', code, row.integration);
      await this.events.emitAsync(SYNC_FAILED, { accountId: row.id, runId: run.id, finishedAt: new Date().toISOString(), code, message, previousStatus: row.status } satisfies SyncFailedEvent);
      return followUp;
    } catch (storeError) {
      this.logger.error(`could not record the failure of sync ${run.id}: ${(storeError as Error).message}`);
      return null;
    }
  }
}

/**
 * Where a run's time went: reading (upstream, mapping, serialising) or writing the snapshot. Work of
 * one phase that overlaps itself (a connector writing several chunks at once) counts once.
 */
class PhaseClock {
  reading = 0;
  writing = 0;
  private readonly open = { reading: { count: 0, since: 0 }, writing: { count: 0, since: 0 } };

  async time<T>(phase: 'reading' | 'writing', work: () => Promise<T>): Promise<T> {
    const open = this.open[phase];
    if (open.count++ === 0) open.since = Date.now();
    try {
      return await work();
    } finally {
      if (--open.count === 0) this[phase] += Date.now() - open.since;
    }
  }
}

/** True when `promise` settles within `ms`; false when the time ran out first. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function emptyStats(): SyncStats {
  return { upstream_requests: 0, pages: 0, records: 0, users: 0, users_added: 0, users_removed: 0, users_changed: 0, retries: 0, retry_reasons: {} };
}

/** A run's stats while it goes: where it is, and its requests and retries so far. */
function progressStats(p: RunProgress): Partial<SyncStats> {
  return { progress: { pages_done: p.pages_done, pages_known: p.pages_known }, upstream_requests: p.upstream_requests, retries: p.retries, retry_reasons: p.retry_reasons };
}
