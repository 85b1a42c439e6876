import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { HubError, isHubError } from '../common/errors';
import { sortableId } from '../common/ids';
import { AccountsService } from '../accounts/accounts.service';
import type { ConnectorAccount, ConnectorPage, HubConnector, PageRequest } from '../connector-kit/connector.contract';
import { AccountRow, AccountsRepository } from '../store/accounts.repository';
import { PeopleRepository } from '../store/people.repository';
import { SeatsRepository } from '../store/seats.repository';
import { DirectoryRepository } from '../store/directory.repository';
import type { DirectoryResource } from '../connector-kit/unified.types';
import { SyncRunRow, SyncRunsRepository } from '../store/sync-runs.repository';
import { ConcurrencyGate } from '../connector-kit/http/concurrency-gate';
import { SyncRunScope } from './run-scope';
import { SnapshotWriter } from './snapshot-writer';
import type { OverlayKind, UnifiedItem } from '../connector-kit/snapshot-records';
import type { SyncStats } from './sync-run.view';

type Lister = (account: ConnectorAccount, page: PageRequest) => Promise<ConnectorPage<UnifiedItem>>;

/** Guard against a connector whose cursors never end. */
const MAX_PAGES_PER_LIST = 100_000;

/**
 * Sync runs: read everything through the connector, write a new snapshot, switch to it only when
 * the whole read succeeded. One run per account at a time.
 */
@Injectable()
export class SyncService implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncService');
  private readonly running = new Map<string, { run: SyncRunRow; done: Promise<void>; scope: SyncRunScope }>();
  private readonly slots: ConcurrencyGate;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly accountsService: AccountsService,
    private readonly accounts: AccountsRepository,
    private readonly runs: SyncRunsRepository,
    private readonly directory: DirectoryRepository,
    private readonly seats: SeatsRepository,
    private readonly people: PeopleRepository,
  ) {
    this.slots = new ConcurrencyGate(config.syncConcurrency);
  }

  /** A run the process did not finish (killed, crashed) can never finish now: say so, drop its rows. */
  async onApplicationBootstrap(): Promise<void> {
    for (const run of await this.runs.unfinished()) {
      await this.runs.update(run.id, {
        status: 'failed',
        finished_at: new Date().toISOString(),
        error_code: 'HUB_RESTARTED',
        error_message: 'The hub stopped while this run was in progress; the previous snapshot is still served.',
      });
      await this.accounts.update(run.account_id, { last_sync_status: 'failed' });
    }
    const orphans = await this.directory.deleteOrphans();
    if (orphans > 0) this.logger.log(`removed ${orphans} rows of unfinished snapshots`);
  }

  /**
   * Starts a run, or returns the one already queued or going for this account. At most
   * HUB_SYNC_CONCURRENCY runs read upstreams at once; the others wait as `queued`.
   */
  async start(accountId: string, trigger: 'initial' | 'scheduled' | 'manual'): Promise<SyncRunRow> {
    const current = this.running.get(accountId);
    if (current) return current.run;
    const now = new Date().toISOString();
    const run: SyncRunRow = {
      id: sortableId(),
      account_id: accountId,
      trigger,
      status: 'queued',
      queued_at: now,
      started_at: null,
      finished_at: null,
      stats: JSON.stringify(emptyStats()),
      error_code: null,
      error_message: null,
    };
    // Registered before the first await so a concurrent call sees it and never starts a second run.
    const scope = new SyncRunScope(this.config.syncBudgetMs);
    const entry = { run, scope, done: Promise.resolve() };
    this.running.set(accountId, entry);
    let account: AccountRow;
    try {
      account = await this.accountsService.get(accountId);
      await this.runs.insert(run);
    } catch (error) {
      this.running.delete(accountId);
      throw error;
    }
    entry.done = this.slots
      .run(async () => {
        const startedAt = new Date().toISOString();
        await this.runs.update(run.id, { status: 'running', started_at: startedAt });
        entry.run = { ...run, status: 'running', started_at: startedAt };
        scope.begin();
        await this.execute(account, entry.run, scope);
      })
      .catch((error) => this.logger.error(`sync ${run.id} could not start: ${(error as Error).message}`))
      .finally(() => {
        scope.finish();
        this.running.delete(accountId);
      });
    return run;
  }

  isRunning(accountId: string): boolean {
    return this.running.has(accountId);
  }

  /** Live progress of a running run, merged into its stored record. */
  liveStats(accountId: string, runId: string): Partial<SyncStats> | null {
    const entry = this.running.get(accountId);
    if (!entry || entry.run.id !== runId) return null;
    const p = entry.scope.progress;
    return { progress: { pages_done: p.pages_done, pages_known: p.pages_known }, upstream_requests: p.upstream_requests, retries: p.retries, retry_reasons: p.retry_reasons };
  }

  /** Waits up to `ms` for the account's running sync; true when none is running anymore. */
  async waitForRun(accountId: string, ms: number): Promise<boolean> {
    const entry = this.running.get(accountId);
    if (!entry) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const finished = await Promise.race([entry.done.then(() => true), timeout]);
    clearTimeout(timer);
    return finished;
  }

  private async execute(row: AccountRow, run: SyncRunRow, scope: SyncRunScope): Promise<void> {
    const started = Date.now();
    const stats = emptyStats();
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
        return;
      }
      const finishedAt = new Date().toISOString();
      // The switch: one UPDATE makes the new snapshot the one served.
      await this.accounts.update(row.id, { current_snapshot_id: run.id, last_synced_at: finishedAt, last_sync_status: 'succeeded', updated_at: finishedAt });
      if (previous) await this.directory.deleteSnapshot(previous);
      Object.assign(stats, { upstream_requests: scope.progress.upstream_requests, retries: scope.progress.retries, retry_reasons: scope.progress.retry_reasons });
      await this.runs.update(run.id, { status: 'succeeded', finished_at: finishedAt, stats: JSON.stringify(stats) });
      this.logger.log(
        `sync ${run.id} of ${row.integration} account ${row.id} succeeded in ${Date.now() - started} ms: ` +
          `${stats.users} users (+${stats.users_added} -${stats.users_removed} ~${stats.users_changed}), ${stats.pages} pages, ${stats.retries} retries`,
      );
    } catch (error) {
      await this.fail(row, run, scope, stats, error);
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

  private async fail(row: AccountRow, run: SyncRunRow, scope: SyncRunScope, stats: SyncStats, error: unknown): Promise<void> {
    const hubError = isHubError(error) ? error : null;
    const code = hubError?.code ?? 'INTERNAL';
    const message = hubError?.message ?? 'Unexpected error; the hub log has the details.';
    if (!hubError) this.logger.error(`sync ${run.id} crashed: ${(error as Error)?.stack ?? error}`);
    else this.logger.warn(`sync ${run.id} of account ${row.id} failed: ${code}: ${message}`);
    Object.assign(stats, { upstream_requests: scope.progress.upstream_requests, retries: scope.progress.retries, retry_reasons: scope.progress.retry_reasons });
    try {
      await this.directory.deleteSnapshot(run.id);
      await this.runs.update(run.id, {
        status: 'failed',
        finished_at: new Date().toISOString(),
        stats: JSON.stringify(stats),
        error_code: code,
        error_message: message,
      });
      const changes: Partial<AccountRow> = { last_sync_status: 'failed', updated_at: new Date().toISOString() };
      if (code === 'UPSTREAM_AUTH_FAILED') changes.status = 'needs_reauth';
      await this.accounts.update(row.id, changes);
    } catch (storeError) {
      this.logger.error(`could not record the failure of sync ${run.id}: ${(storeError as Error).message}`);
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

function emptyStats(): SyncStats {
  return { upstream_requests: 0, pages: 0, records: 0, users: 0, users_added: 0, users_removed: 0, users_changed: 0, retries: 0, retry_reasons: {} };
}

