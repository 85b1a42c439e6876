import { Inject, Injectable } from '@nestjs/common';
import { CursorCodec } from '../common/cursor-codec';
import { HubError, isHubError } from '../common/errors';
import type { Page } from '../common/list-query.dto';
import { pageLimit } from '../common/list-query.dto';
import type { HubConfig } from '../config/hub-config';
import { AccountsService } from '../accounts/accounts.service';
import { SYSTEM, Viewer } from '../auth/principal';
import { HUB_CONFIG } from '../config/config.token';
import type { ConnectorPage } from '../connector-kit/connector.contract';
import type { DirectoryResource } from '../connector-kit/unified.types';
import type { AccountRow } from '../store/accounts.repository';
import { DirectoryRecord, DirectoryRepository, OverlayKind } from '../store/directory.repository';
import { SyncService } from '../sync/sync.service';
import { closeEnvelope, Freshness, JsonPieces, LIVE, snapshotFreshness } from './freshness';
import { LiveReads } from './live-reads';
import { PageCache } from './page-cache';
import type { DirectoryListQuery, DirectoryOptions, LicensesQuery } from './unified.dto';
import { PlanUtilizationService } from './plan-utilization.service';

/** Seconds a client is told to wait while the first sync of an account is still running. */
const PENDING_RETRY_AFTER = 5;

/** The snapshot a read serves, and how fresh it is now. */
export interface ServedSnapshot {
  id: string;
  freshness: Freshness;
}

/** A single item as JSON bytes, with the freshness of the snapshot it came from. */
export interface ServedItem {
  body: Buffer;
  freshness: Freshness;
}

/**
 * Serves the unified lists from the account's current snapshot, in keyset pages ordered by id.
 * A cursor holds the last id seen, so a snapshot switch between two pages neither repeats nor
 * skips a record present in both snapshots.
 */
@Injectable()
export class UnifiedService {
  private readonly pages = new PageCache();
  private readonly live: LiveReads;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly accounts: AccountsService,
    private readonly directory: DirectoryRepository,
    private readonly sync: SyncService,
    private readonly cursors: CursorCodec,
    private readonly utilization: PlanUtilizationService,
  ) {
    this.live = new LiveReads(config.liveCacheTtlMs, config.syncBudgetMs);
  }

  /**
   * One page as JSON bytes. Records are stored as JSON and spliced into the envelope as they are
   * (no parse and re-serialise on the hot path), and a rendered page is kept for repeats, without
   * the freshness fields: those are added per request (see closeEnvelope).
   */
  async list(resource: DirectoryResource, query: DirectoryListQuery, viewer: Viewer): Promise<JsonPieces> {
    const account = await this.accounts.get(query.integrated_account_id, viewer);
    if (query.source === 'live') return [Buffer.from(JSON.stringify({ ...(await this.listLive(resource, account, query)), ...LIVE }))];
    const overlay = overlayFor(resource, query);
    // A cursor of the outdated-inclusive list is not valid for the default one, and the other way round.
    const cursorResource = overlay ?? resource;
    const position = query.next_cursor ? this.cursors.decode(query.next_cursor, { account: account.id, resource: cursorResource }) : null;
    const after = position?.k ?? null;
    const limit = pageLimit(query.limit, position);
    const { id: snapshot, freshness } = await this.served(account);
    const withRemote = query.include_remote_data === true;
    // Plans carry utilization, which moves with the request time: rendered each time (plans are few).
    const cacheable = resource !== 'licenses';
    const cacheKey = `${snapshot}|${cursorResource}|${after ?? ''}|${limit}|${withRemote}`;
    const cached = cacheable ? this.pages.get(cacheKey) : undefined;
    if (cached !== undefined) return closeEnvelope(cached, freshness);
    const rows = overlay
      ? await this.directory.pageWithOverlay(snapshot, resource, overlay, after, limit, withRemote)
      : await this.directory.page(snapshot, resource, after, limit, withRemote);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? this.cursors.encode({ a: account.id, r: cursorResource, k: last.id, l: limit }) : null;
    const items = cacheable
      ? page.map((row) => recordJson(row, withRemote)).join(',')
      : (await this.utilization.render(snapshot, page.map((row) => ({ ...row, data: recordJson(row, withRemote) })), {
          inactiveDays: (query as LicensesQuery).inactive_days,
          includeOutdated: query.include_outdated === true,
        })).join(',');
    // Stored open: the freshness fields are added on each answer, so a cached page never freezes them.
    const body = Buffer.from(`{"result":[${items}],"next_cursor":${JSON.stringify(next)},"result_count":${page.length}`);
    if (cacheable) this.pages.set(cacheKey, body);
    return closeEnvelope(body, freshness);
  }

  /**
   * Reads one page straight from the upstream through the connector. The connector's own cursor
   * travels inside the hub's signed cursor, so clients still see one opaque, tamper-proof cursor.
   * The connector works in the account's live-read scope (see LiveReads): a whole-organization read
   * it memoises is shared by concurrent reads and kept HUB_LIVE_CACHE_TTL, and the same page asked
   * for by several clients at once is read once.
   */
  private async listLive(resource: DirectoryResource, row: AccountRow, query: DirectoryListQuery): Promise<Page<unknown>> {
    const cursorResource = `${overlayFor(resource, query) ?? resource}:live`;
    const position = query.next_cursor ? this.cursors.decode(query.next_cursor, { account: row.id, resource: cursorResource }) : null;
    const cursor = position?.k;
    const request = { cursor, limit: pageLimit(query.limit, position), includeOutdated: query.include_outdated === true };
    const scope = this.live.scopeFor(row.id, row.credentials);
    const page = await this.accounts
      .withConnector(row, scope, (connector, account): Promise<ConnectorPage<{ id: string }>> => {
        const impl = connector.implementation;
        const list = resource === 'users' ? impl.listUsers.bind(impl) : resource === 'groups' ? impl.listGroups?.bind(impl) : impl.listLicenses?.bind(impl);
        if (!list) return Promise.resolve({ items: [], nextCursor: null });
        return scope.join(JSON.stringify([resource, request]), (): Promise<ConnectorPage<{ id: string }>> => list(account, request));
      })
      .catch((error: unknown) => {
        if (!isHubError(error) || error.code !== 'SYNC_BUDGET_EXCEEDED') throw error;
        throw new HubError(
          'SYNC_BUDGET_EXCEEDED',
          `The live read of this account took longer than HUB_SYNC_BUDGET (${Math.round(this.config.syncBudgetMs / 1000)} s) and was stopped; ` +
            'read the synced data instead (leave out source=live).',
        );
      });
    const result = page.items.map((item) => {
      if (query.include_remote_data === true) return item;
      const { remote_data: _omitted, ...rest } = item as { remote_data?: unknown };
      return rest;
    });
    return {
      result,
      next_cursor: page.nextCursor === null ? null : this.cursors.encode({ a: row.id, r: cursorResource, k: page.nextCursor, l: request.limit }),
      result_count: result.length,
    };
  }

  async getUser(requestedId: string, query: DirectoryOptions, viewer: Viewer): Promise<ServedItem> {
    const account = await this.accounts.get(query.integrated_account_id, viewer);
    const { id: snapshot, freshness } = await this.served(account);
    const connector = this.accounts.connectorOf(account).implementation;
    const id = connector.normalizeUserId ? connector.normalizeUserId(requestedId) : requestedId;
    const overlay = overlayFor('users', query);
    const row = overlay ? await this.directory.getWithOverlay(snapshot, 'users', overlay, id) : await this.directory.get(snapshot, 'users', id);
    if (!row) throw new HubError('USER_NOT_FOUND', `No user "${requestedId}" in integrated account ${account.id}`);
    return { body: Buffer.from(recordJson(row, query.include_remote_data === true)), freshness };
  }

  /**
   * The snapshot to read and its freshness, both from one account row. Before the first sync has
   * finished, waits for it (bounded by HUB_FIRST_SYNC_WAIT), then answers 503 with Retry-After
   * rather than an empty list.
   */
  async served(account: AccountRow): Promise<ServedSnapshot> {
    const serve = (row: AccountRow & { current_snapshot_id: string }): ServedSnapshot => ({
      id: row.current_snapshot_id,
      freshness: snapshotFreshness(row, this.config.syncIntervalMs),
    });
    if (hasSnapshot(account)) return serve(account);
    if (await this.sync.hasUnfinishedRun(account.id)) {
      await this.sync.waitForRun(account.id, this.config.firstSyncWaitMs);
      // The caller was checked against this account already: re-read as the hub.
      const fresh = await this.accounts.get(account.id, SYSTEM);
      if (hasSnapshot(fresh)) return serve(fresh);
      account = fresh;
    }
    if (await this.sync.hasUnfinishedRun(account.id)) {
      throw new HubError('SYNC_PENDING', 'The first sync of this account is still running; try again shortly.', {
        retryAfterSeconds: PENDING_RETRY_AFTER,
      });
    }
    throw new HubError(
      'SYNC_FAILED',
      `This account has no synced data yet: its last sync ${account.last_sync_status ?? 'did not run'}. ` +
        `See GET /integrated-accounts/${account.id}/syncs, fix the cause and POST /integrated-accounts/${account.id}/sync.`,
      { retryAfterSeconds: 60 },
    );
  }
}

function hasSnapshot(row: AccountRow): row is AccountRow & { current_snapshot_id: string } {
  return row.current_snapshot_id !== null && row.current_snapshot_id !== '';
}

/** The overlay that turns a list into its outdated-inclusive variant, when asked for. */
function overlayFor(resource: DirectoryResource, options: DirectoryOptions): OverlayKind | null {
  return options.include_outdated && resource !== 'groups' ? `${resource}:with-outdated` : null;
}

/** A stored record as JSON, with its raw upstream data spliced in when asked for. */
function recordJson(row: DirectoryRecord, includeRemoteData: boolean): string {
  if (!includeRemoteData) return row.data;
  const remote = `"remote_data":${row.remote_data ?? 'null'}`;
  return row.data.length > 2 ? `${row.data.slice(0, -1)},${remote}}` : `{${remote}}`;
}
