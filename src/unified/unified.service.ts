import { Inject, Injectable } from '@nestjs/common';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import type { Page } from '../common/list-query.dto';
import { DEFAULT_LIMIT } from '../common/list-query.dto';
import type { HubConfig } from '../config/hub-config';
import { AccountsService } from '../accounts/accounts.service';
import { HUB_CONFIG } from '../config/config.token';
import type { DirectoryResource } from '../connector-kit/unified.types';
import type { AccountRow } from '../store/accounts.repository';
import { DirectoryRecord, DirectoryRepository, OverlayKind } from '../store/directory.repository';
import { SyncService } from '../sync/sync.service';
import { PageCache } from './page-cache';
import type { DirectoryListQuery, DirectoryOptions } from './unified.dto';

/** Seconds a client is told to wait while the first sync of an account is still running. */
const PENDING_RETRY_AFTER = 5;

/**
 * Serves the unified lists from the account's current snapshot, in keyset pages ordered by id.
 * A cursor holds the last id seen, so a snapshot switch between two pages neither repeats nor
 * skips a record present in both snapshots.
 */
@Injectable()
export class UnifiedService {
  private readonly pages = new PageCache();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly accounts: AccountsService,
    private readonly directory: DirectoryRepository,
    private readonly sync: SyncService,
    private readonly cursors: CursorCodec,
  ) {}

  /**
   * One page as JSON bytes. Records are stored as JSON and spliced into the envelope as they are
   * (no parse and re-serialise on the hot path), and a rendered page is kept for repeats.
   */
  async list(resource: DirectoryResource, query: DirectoryListQuery): Promise<Buffer> {
    const account = await this.accounts.get(query.integrated_account_id);
    if (query.source === 'live') return Buffer.from(JSON.stringify(await this.listLive(resource, account, query)));
    const overlay = overlayFor(resource, query);
    const limit = query.limit ?? DEFAULT_LIMIT;
    // A cursor of the outdated-inclusive list is not valid for the default one, and the other way round.
    const cursorResource = overlay ?? resource;
    const after = query.next_cursor ? this.cursors.decode(query.next_cursor, { account: account.id, resource: cursorResource }).k : null;
    const snapshot = await this.snapshotOf(account);
    const withRemote = query.include_remote_data === true;
    const cacheKey = `${snapshot}|${cursorResource}|${after ?? ''}|${limit}|${withRemote}`;
    const cached = this.pages.get(cacheKey);
    if (cached !== undefined) return cached;
    const rows = overlay
      ? await this.directory.pageWithOverlay(snapshot, resource, overlay, after, limit, withRemote)
      : await this.directory.page(snapshot, resource, after, limit, withRemote);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? this.cursors.encode({ a: account.id, r: cursorResource, k: last.id }) : null;
    const items = page.map((row) => recordJson(row, withRemote)).join(',');
    const body = Buffer.from(`{"result":[${items}],"next_cursor":${JSON.stringify(next)},"result_count":${page.length}}`);
    this.pages.set(cacheKey, body);
    return body;
  }

  /**
   * Reads one page straight from the upstream through the connector. The connector's own cursor
   * travels inside the hub's signed cursor, so clients still see one opaque, tamper-proof cursor.
   */
  private async listLive(resource: DirectoryResource, row: AccountRow, query: DirectoryListQuery): Promise<Page<unknown>> {
    const cursorResource = `${overlayFor(resource, query) ?? resource}:live`;
    const cursor = query.next_cursor ? this.cursors.decode(query.next_cursor, { account: row.id, resource: cursorResource }).k : undefined;
    const { connector, account } = this.accounts.connectorAccount(row);
    const impl = connector.implementation;
    const list = resource === 'users' ? impl.listUsers.bind(impl) : resource === 'groups' ? impl.listGroups?.bind(impl) : impl.listLicenses?.bind(impl);
    if (!list) return { result: [], next_cursor: null, result_count: 0 };
    const page = await list(account, { cursor, limit: query.limit ?? DEFAULT_LIMIT, includeOutdated: query.include_outdated === true });
    const result = page.items.map((item) => {
      if (query.include_remote_data === true) return item;
      const { remote_data: _omitted, ...rest } = item as { remote_data?: unknown };
      return rest;
    });
    return {
      result,
      next_cursor: page.nextCursor === null ? null : this.cursors.encode({ a: row.id, r: cursorResource, k: page.nextCursor }),
      result_count: result.length,
    };
  }

  async getUser(id: string, query: DirectoryOptions): Promise<Buffer> {
    const account = await this.accounts.get(query.integrated_account_id);
    const snapshot = await this.snapshotOf(account);
    const overlay = overlayFor('users', query);
    const row = overlay ? await this.directory.getWithOverlay(snapshot, 'users', overlay, id) : await this.directory.get(snapshot, 'users', id);
    if (!row) throw new HubError('USER_NOT_FOUND', `No user "${id}" in integrated account ${account.id}`);
    return Buffer.from(recordJson(row, query.include_remote_data === true));
  }

  /**
   * The snapshot to read. Before the first sync has finished, waits for it (bounded by
   * HUB_FIRST_SYNC_WAIT), then answers 503 with Retry-After rather than an empty list.
   */
  async snapshotOf(account: AccountRow): Promise<string> {
    if (account.current_snapshot_id) return account.current_snapshot_id;
    if (await this.sync.hasUnfinishedRun(account.id)) {
      await this.sync.waitForRun(account.id, this.config.firstSyncWaitMs);
      const fresh = await this.accounts.get(account.id);
      if (fresh.current_snapshot_id) return fresh.current_snapshot_id;
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
