import type { Readable } from 'node:stream';
import type { DerivedRows, DerivedSeatRow } from './derived-rows';
import type { RemotePart, SerializedRecord, SnapshotKind } from './snapshot-records';
import type { DirectoryResource, UnifiedGroup, UnifiedLicensePlan, UnifiedUser } from './unified.types';

/** Credentials as the user submitted them, validated against the manifest's credential fields. */
export type Credentials = Record<string, string>;

/** What a connector is told about the account it works for. */
export interface ConnectorAccount {
  id: string;
  credentials: Credentials;
  /** The connector's base URL: the manifest default or its `<ID>_BASE_URL` override. */
  baseUrl: string;
  /**
   * Shared scratch space for one sync run. A connector whose lists derive from the same upstream
   * read (JetBrains: users, teams and plans all come from the license list) memoises it here so one
   * run reads the upstream once. Live reads (`source=live`) get one too, shared by the account's
   * concurrent live reads and kept HUB_LIVE_CACHE_TTL. Absent for authenticate and the proxy.
   */
  run?: RunScope;
}

export interface RunScope {
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Progress the run reports while it reads (pages done of pages known). */
  reportPages(done: number, known: number | null): void;
  /** The run reports each retry it made, with its reason. */
  reportRetry(reason: string): void;
  /** Counts a successful upstream request (UpstreamHttp calls it). */
  reportRequest(): void;
  /** Aborted when the run's time budget (HUB_SYNC_BUDGET) is spent; upstream calls stop with it. */
  readonly signal?: AbortSignal;
}

/** What a credential test found out: the org, the token's role and what it can see. */
export interface AuthenticationResult {
  organization: { id: string; name: string | null };
  role: string | null;
  teams: { id: string; name: string | null; role?: string | null }[];
  /** Anything else worth showing on the account (token type, scope...). */
  extra?: Record<string, unknown>;
  /**
   * The credentials to store, when the connector completed them while testing (an organization id it
   * resolved from the key, say). Defaults to the submitted credentials.
   */
  credentials?: Credentials;
}

export interface PageRequest {
  /** The connector's own cursor from the previous page; absent for the first page. */
  cursor?: string;
  /**
   * At most this many items. Omitted in sync: the connector returns its natural page (for a
   * connector that can only build users after reading everything, the whole list).
   */
  limit?: number;
  /** Keep licenses whose subscription has lapsed; connectors without that notion ignore it. */
  includeOutdated?: boolean;
}

export interface ConnectorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Part of a snapshot a connector serialised itself: records, or pieces of their raw data. An
 * overlay kind (`users:with-outdated`) holds only the records that differ from its base list, and
 * tombstones for the ones the variant drops (see `overlayRecords`).
 */
export type SnapshotChunk = RecordsChunk | PartsChunk;
/**
 * Records of one list. For user lists, `derived` may carry the seat and people rows of these very
 * records (deriveRows() of the kit), made where the records were made: the hub then does not parse
 * the records again to derive them.
 */
export type RecordsChunk = { kind: SnapshotKind; records: SerializedRecord[]; derived?: DerivedRows };
/**
 * Raw data stored ahead of its records; `seats`: the seats those licenses are, when the connector
 * knows them before the records (JetBrains: one per USER license), so they are written during the
 * download rather than after it. Corrections follow in RecordsChunk.derived.seatUpdates.
 */
export type PartsChunk = { kind: DirectoryResource; parts: RemotePart[]; seats?: DerivedSeatRow[] };

/** Where a connector's readSnapshot puts what it read; resolves once stored. */
export interface SnapshotSink {
  write(chunk: SnapshotChunk): Promise<void>;
}

/** One request to pass through, already checked by the hub (safe relative path, no hub params). */
export interface ProxyRequest {
  method: string;
  /** Upstream path relative to the base URL, starting with `/`, without query. */
  path: string;
  /** Raw query string without the leading `?`, hub parameters removed. */
  query: string;
  headers: Record<string, string | string[]>;
  body: Readable | null;
  /**
   * Aborted when the client goes away or the proxy's deadline passes: pass it to the upstream
   * request so its socket is released instead of waiting on a body nobody reads.
   */
  signal: AbortSignal;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable;
}

/**
 * The contract every connector implements. The hub never knows an upstream's URLs, headers or
 * paging: it only calls these methods.
 */
export interface HubConnector {
  /**
   * Tests credentials against the upstream. Throws HubError UPSTREAM_AUTH_FAILED when rejected
   * (with `details.hint` saying what is likely wrong, when the connector can tell), or
   * VALIDATION_FAILED when the credentials are incomplete in a way only the upstream reveals.
   */
  authenticate(credentials: Credentials, baseUrl: string): Promise<AuthenticationResult>;
  /**
   * One page of users. In a sync the hub calls it without `limit` and follows `nextCursor`; for live
   * reads (`source=live`) it passes the client's `limit` and wraps `nextCursor` in its signed cursor.
   */
  listUsers(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedUser>>;
  listGroups?(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedGroup>>;
  /**
   * Optional fast path for a sync: every list of the snapshot (users, groups, licenses and their
   * with-outdated overlays), already serialised, written chunk by chunk into `sink` as soon as
   * each is ready (raw parts even while the upstream is still being read). For a connector whose
   * lists all derive from one upstream read and that can do that work off the main thread. Without
   * it, a sync reads listUsers / listGroups / listLicenses.
   */
  readSnapshot?(account: ConnectorAccount, sink: SnapshotSink): Promise<void>;
  listLicenses?(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedLicensePlan>>;
  /** Sends one request 1-to-1 upstream with the account's credentials injected. Never retried. */
  proxy(account: ConnectorAccount, request: ProxyRequest): Promise<ProxyResponse>;
  /**
   * For a connector whose user ids are normalised (JetBrains: the lowercased email): the stored id
   * a client's id stands for, so `GET …/users/Ada@Example.COM` finds `ada@example.com`. Pure and
   * cheap; without it, ids match exactly.
   */
  normalizeUserId?(id: string): string;
}
