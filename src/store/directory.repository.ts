import { Inject, Injectable } from '@nestjs/common';
import { AliasedExpression, ExpressionBuilder, sql } from 'kysely';
import { insertInBatches } from './batched-insert';
import type { Database } from './schema';
import { HUB_DATABASE } from './database.token';
import type { HubDatabase } from './database';
import type { DirectoryResource } from '../connector-kit/unified.types';
import { OverlayKind, RemotePart, SerializedRecord, SnapshotKind, TOMBSTONE } from '../connector-kit/snapshot-records';

/** A stored record as read: its raw data resolved, whether stored whole or in parts. */
export type DirectoryRecord = Omit<SerializedRecord, 'remote_part_ids'>;
/** A row as stored: remote_part_ids still as its JSON text. */
type StoredRow = DirectoryRecord & { remote_part_ids: string | null };
export { TOMBSTONE };
export type { OverlayKind, SnapshotKind };

/** Part ids per lookup: well under both databases' bound-parameter limits. */
const PARTS_PER_QUERY = 1_000;

/**
 * Snapshots of unified records. A sync writes all rows of a new snapshot first, then switches the
 * account to it (`accounts.current_snapshot_id`) in one UPDATE; readers never see a half-written
 * snapshot.
 */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async write(snapshotId: string, kind: SnapshotKind, records: SerializedRecord[]): Promise<void> {
    await insertInBatches(this.db, 'directory_records', records, (r) => ({
      snapshot_id: snapshotId,
      kind,
      id: r.id,
      data: r.data,
      remote_data: r.remote_data,
      remote_part_ids: r.remote_part_ids ? JSON.stringify(r.remote_part_ids) : null,
    }));
  }

  /** Pieces of raw data for records of `kind` written later (see RemotePart). */
  async writeParts(snapshotId: string, kind: DirectoryResource, parts: RemotePart[]): Promise<void> {
    await insertInBatches(this.db, 'remote_parts', parts, (p) => ({ snapshot_id: snapshotId, kind, part_id: p.part_id, data: p.data }));
  }

  /** Keyset page ordered by id, one extra row to tell whether more follow. */
  async page(snapshotId: string, kind: SnapshotKind, afterId: string | null, limit: number, withRemoteData = false): Promise<DirectoryRecord[]> {
    let query = this.db
      .selectFrom('directory_records')
      .select(['id', 'data'])
      .select((eb) => remoteDataColumns(eb, withRemoteData))
      .where('snapshot_id', '=', snapshotId)
      .where('kind', '=', kind)
      .orderBy('id')
      .limit(limit + 1);
    if (afterId !== null) query = query.where('id', '>', afterId);
    const rows = await query.execute();
    return withRemoteData ? this.withParts(snapshotId, kind as DirectoryResource, rows) : rows;
  }

  /**
   * Keyset page of a base list seen through its overlay: per id the overlay record wins, tombstones
   * drop the record. Reads both kinds in one index range (overlay first per id), widening until the
   * page is full or the rows run out.
   */
  async pageWithOverlay(
    snapshotId: string,
    base: DirectoryResource,
    overlay: OverlayKind,
    afterId: string | null,
    limit: number,
    withRemoteData = false,
  ): Promise<DirectoryRecord[]> {
    const out: StoredRow[] = [];
    const batch = 2 * (limit + 1);
    let after = afterId;
    for (;;) {
      let query = this.db
        .selectFrom('directory_records')
        .select(['id', 'data'])
        .select((eb) => remoteDataColumns(eb, withRemoteData))
        .where('snapshot_id', '=', snapshotId)
        .where('kind', 'in', [base, overlay])
        .orderBy('id')
        .orderBy('kind', 'desc')
        .limit(batch);
      if (after !== null) query = query.where('id', '>', after);
      const rows = await query.execute();
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        if (i > 0 && rows[i - 1]!.id === row.id) continue;
        if (row.data !== TOMBSTONE) out.push(row);
        if (out.length === limit + 1) break;
      }
      if (out.length === limit + 1 || rows.length < batch) return withRemoteData ? this.withParts(snapshotId, base, out) : out;
      after = rows[rows.length - 1]!.id;
    }
  }

  async getWithOverlay(snapshotId: string, base: DirectoryResource, overlay: OverlayKind, id: string): Promise<DirectoryRecord | undefined> {
    const row = (await this.row(snapshotId, overlay, id)) ?? (await this.row(snapshotId, base, id));
    return row && row.data !== TOMBSTONE ? (await this.withParts(snapshotId, base, [row]))[0] : undefined;
  }

  async get(snapshotId: string, kind: DirectoryResource, id: string): Promise<DirectoryRecord | undefined> {
    const row = await this.row(snapshotId, kind, id);
    return row ? (await this.withParts(snapshotId, kind, [row]))[0] : undefined;
  }

  private row(snapshotId: string, kind: SnapshotKind, id: string): Promise<StoredRow | undefined> {
    return this.db
      .selectFrom('directory_records')
      .select(['id', 'data', 'remote_data', 'remote_part_ids'])
      .where('snapshot_id', '=', snapshotId)
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Resolves the remote_data of rows stored as parts: one query per page of records. */
  private async withParts(snapshotId: string, kind: DirectoryResource, rows: StoredRow[]): Promise<DirectoryRecord[]> {
    const partIds = new Map<string, string[]>();
    for (const row of rows) if (row.remote_part_ids !== null) partIds.set(row.id, JSON.parse(row.remote_part_ids) as string[]);
    const resolve = (row: StoredRow): DirectoryRecord => ({ id: row.id, data: row.data, remote_data: row.remote_data });
    if (partIds.size === 0) return rows.map(resolve);
    const wanted = [...new Set([...partIds.values()].flat())];
    const data = new Map<string, string>();
    for (let start = 0; start < wanted.length; start += PARTS_PER_QUERY) {
      const found = await this.db
        .selectFrom('remote_parts')
        .select(['part_id', 'data'])
        .where('snapshot_id', '=', snapshotId)
        .where('kind', '=', kind)
        .where('part_id', 'in', wanted.slice(start, start + PARTS_PER_QUERY))
        .execute();
      for (const part of found) data.set(part.part_id, part.data);
    }
    return rows.map((row) => {
      const ids = partIds.get(row.id);
      return ids ? { id: row.id, data: row.data, remote_data: `[${ids.map((id) => data.get(id) ?? 'null').join(',')}]` } : resolve(row);
    });
  }

  async all(snapshotId: string, kind: SnapshotKind): Promise<Omit<DirectoryRecord, 'remote_data'>[]> {
    return this.db
      .selectFrom('directory_records')
      .select(['id', 'data'])
      .where('snapshot_id', '=', snapshotId)
      .where('kind', '=', kind)
      .execute();
  }

  /**
   * How a list changed between two snapshots: records added, removed and changed. Counted by the
   * database (index lookups on the primary key), not by loading either snapshot into memory.
   */
  async compare(previous: string | null, next: string, kind: DirectoryResource): Promise<{ users: number; users_added: number; users_removed: number; users_changed: number }> {
    const count = async (query: ReturnType<typeof sql<{ n: number | string }>>) => Number((await query.execute(this.db)).rows[0]?.n ?? 0);
    const total = await count(sql<{ n: number }>`select count(*) as n from directory_records where snapshot_id = ${next} and kind = ${kind}`);
    if (previous === null) return { users: total, users_added: total, users_removed: 0, users_changed: 0 };
    const missingFrom = (a: string, b: string) =>
      count(sql<{ n: number }>`select count(*) as n from directory_records x where x.snapshot_id = ${a} and x.kind = ${kind}
        and not exists (select 1 from directory_records y where y.snapshot_id = ${b} and y.kind = ${kind} and y.id = x.id)`);
    const changed = await count(sql<{ n: number }>`select count(*) as n from directory_records x join directory_records y
        on y.snapshot_id = ${previous} and y.kind = x.kind and y.id = x.id
        where x.snapshot_id = ${next} and x.kind = ${kind} and x.data <> y.data`);
    return { users: total, users_added: await missingFrom(next, previous), users_removed: await missingFrom(previous, next), users_changed: changed };
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    await this.db.deleteFrom('directory_records').where('snapshot_id', '=', snapshotId).execute();
    await this.db.deleteFrom('remote_parts').where('snapshot_id', '=', snapshotId).execute();
    await this.db.deleteFrom('seats').where('snapshot_id', '=', snapshotId).execute();
    await this.db.deleteFrom('people').where('snapshot_id', '=', snapshotId).execute();
  }

  /**
   * Removes rows of snapshots no account serves: left by a failed, killed or superseded run. Rows
   * of unfinished runs stay: another hub replica may be writing them right now.
   */
  async deleteOrphans(): Promise<number> {
    let deleted = 0;
    for (const table of ['directory_records', 'remote_parts', 'seats', 'people'] as const) {
      const result = await this.db
        .deleteFrom(table)
        .where(({ not, exists, selectFrom, and }) =>
          and([
            not(exists(selectFrom('accounts').select('accounts.id').whereRef('accounts.current_snapshot_id', '=', `${table}.snapshot_id`))),
            not(exists(selectFrom('sync_runs').select('sync_runs.id').whereRef('sync_runs.id', '=', `${table}.snapshot_id`).where('sync_runs.status', 'in', ['queued', 'running']))),
          ]),
        )
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }
}

/** remote_data is the larger half of a record: read it (or the ids of its parts) only when the client asked for it. */
function remoteDataColumns(eb: ExpressionBuilder<Database, 'directory_records'>, withRemoteData: boolean): [AliasedExpression<string | null, 'remote_data'>, AliasedExpression<string | null, 'remote_part_ids'>] {
  return withRemoteData
    ? [eb.ref('remote_data').as('remote_data'), eb.ref('remote_part_ids').as('remote_part_ids')]
    : [sql<string | null>`null`.as('remote_data'), sql<string | null>`null`.as('remote_part_ids')];
}
