import { Inject, Injectable } from '@nestjs/common';
import { AliasedExpression, ExpressionBuilder, sql } from 'kysely';
import type { Database } from './schema';
import { HUB_DATABASE } from '../hub/tokens';
import type { HubDatabase } from './database';
import type { DirectoryResource } from '../hub/unified.types';

export interface DirectoryRecord {
  id: string;
  data: string;
  remote_data: string | null;
}

/**
 * What a snapshot holds: the three lists, plus overlays for the variants that keep outdated
 * licenses. An overlay holds only the records that differ from its base list (and a `null` record
 * for one the variant drops), so the variant costs little when few records differ.
 */
export type SnapshotKind = DirectoryResource | OverlayKind;
export type OverlayKind = 'users:with-outdated' | 'licenses:with-outdated';
/** The data of an overlay record that removes a base record from the variant. */
export const TOMBSTONE = 'null';

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits (5 per row). */
const INSERT_BATCH = 500;
/**
 * INSERTs per transaction. One commit per 5,000 rows instead of per 500 makes writing a snapshot
 * several times faster, while keeping each transaction short: on SQLite a transaction holds the
 * one connection, and reads wait for it.
 */
const BATCHES_PER_TRANSACTION = 10;

/**
 * Snapshots of unified records. A sync writes all rows of a new snapshot first, then switches the
 * account to it (`accounts.current_snapshot_id`) in one UPDATE; readers never see a half-written
 * snapshot.
 */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async write(snapshotId: string, kind: SnapshotKind, records: DirectoryRecord[]): Promise<void> {
    const perTransaction = INSERT_BATCH * BATCHES_PER_TRANSACTION;
    for (let start = 0; start < records.length; start += perTransaction) {
      const chunk = records.slice(start, start + perTransaction);
      await this.db.transaction().execute(async (trx) => {
        for (let offset = 0; offset < chunk.length; offset += INSERT_BATCH) {
          const rows = chunk.slice(offset, offset + INSERT_BATCH).map((r) => ({ snapshot_id: snapshotId, kind, ...r }));
          await trx.insertInto('directory_records').values(rows).execute();
        }
      });
    }
  }

  /** Keyset page ordered by id, one extra row to tell whether more follow. */
  async page(snapshotId: string, kind: SnapshotKind, afterId: string | null, limit: number, withRemoteData = false): Promise<DirectoryRecord[]> {
    let query = this.db
      .selectFrom('directory_records')
      .select(['id', 'data'])
      .select((eb) => remoteDataColumn(eb, withRemoteData))
      .where('snapshot_id', '=', snapshotId)
      .where('kind', '=', kind)
      .orderBy('id')
      .limit(limit + 1);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return query.execute();
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
    const out: DirectoryRecord[] = [];
    const batch = 2 * (limit + 1);
    let after = afterId;
    for (;;) {
      let query = this.db
        .selectFrom('directory_records')
        .select(['id', 'data'])
      .select((eb) => remoteDataColumn(eb, withRemoteData))
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
        if (out.length === limit + 1) return out;
      }
      if (rows.length < batch) return out;
      after = rows[rows.length - 1]!.id;
    }
  }

  async getWithOverlay(snapshotId: string, base: DirectoryResource, overlay: OverlayKind, id: string): Promise<DirectoryRecord | undefined> {
    const row = (await this.get(snapshotId, overlay, id)) ?? (await this.get(snapshotId, base, id));
    return row && row.data !== TOMBSTONE ? row : undefined;
  }

  async get(snapshotId: string, kind: SnapshotKind, id: string): Promise<DirectoryRecord | undefined> {
    return this.db
      .selectFrom('directory_records')
      .select(['id', 'data', 'remote_data'])
      .where('snapshot_id', '=', snapshotId)
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
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
  }

  /** Removes rows of snapshots no account serves: left by a failed, killed or superseded run. */
  async deleteOrphans(): Promise<number> {
    const result = await this.db
      .deleteFrom('directory_records')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('accounts')
              .select('accounts.id')
              .whereRef('accounts.current_snapshot_id', '=', 'directory_records.snapshot_id'),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** remote_data is the larger half of a record: read it only when the client asked for it. */
function remoteDataColumn(eb: ExpressionBuilder<Database, 'directory_records'>, withRemoteData: boolean): AliasedExpression<string | null, 'remote_data'> {
  return withRemoteData ? eb.ref('remote_data').as('remote_data') : sql<string | null>`null`.as('remote_data');
}
