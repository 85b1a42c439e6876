import type { AccountRow } from '../store/accounts.repository';

/**
 * Which data a unified read served, and whether it can be trusted as current: every list carries
 * these fields in its envelope, a single item as X-Hub-Synced-At / X-Hub-Stale headers.
 */
export interface Freshness {
  /** When the run whose snapshot was served finished; null for a live read. */
  synced_at: string | null;
  /** The account needs re-auth, its last sync failed, or the snapshot is older than twice HUB_SYNC_INTERVAL. */
  stale: boolean;
  source: 'snapshot' | 'live';
}

/** A live read is the upstream as it is now: never stale, from no snapshot. */
export const LIVE: Freshness = { synced_at: null, stale: false, source: 'live' };

/**
 * The freshness of the account's current snapshot at `now`. `last_synced_at` is written in the one
 * UPDATE that switches `current_snapshot_id` to a run's snapshot (a failed run changes neither),
 * so read from one row they always describe the same run: the finish time of the snapshot served.
 * Twice the interval: one scheduled sync may be late or fail without the data being called stale.
 */
export function snapshotFreshness(account: Pick<AccountRow, 'status' | 'last_sync_status' | 'last_synced_at'>, syncIntervalMs: number, now = Date.now()): Freshness {
  const syncedAt = account.last_synced_at;
  const tooOld = syncedAt === null || now - Date.parse(syncedAt) > 2 * syncIntervalMs;
  return {
    synced_at: syncedAt,
    stale: account.status === 'needs_reauth' || account.last_sync_status === 'failed' || tooOld,
    source: 'snapshot',
  };
}

/** The envelope's freshness fields as JSON members, to append after its other members. */
export function freshnessMembers(freshness: Freshness): string {
  return `"synced_at":${JSON.stringify(freshness.synced_at)},"stale":${freshness.stale},"source":"${freshness.source}"`;
}

/**
 * A JSON answer as the pieces to send one after the other: a cached page and its closing go out as
 * they are, without copying the page (100 KB and more) into a new buffer on every answer.
 */
export type JsonPieces = Buffer[];

/**
 * Closes a page rendered without its closing brace (what the page cache keeps) with the freshness
 * fields: they are computed per request, since `stale` turns with time and account state while
 * the cached page of a snapshot never changes.
 */
export function closeEnvelope(openPage: Buffer, freshness: Freshness): JsonPieces {
  return [openPage, Buffer.from(`,${freshnessMembers(freshness)}}`)];
}

/** The same facts for a single-item response, whose body is the item itself. */
export function freshnessHeaders(freshness: Freshness): Record<string, string> {
  return { 'X-Hub-Synced-At': freshness.synced_at ?? '', 'X-Hub-Stale': String(freshness.stale) };
}
