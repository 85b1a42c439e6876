import { Inject, Injectable } from '@nestjs/common';
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

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits (4 per row). */
const INSERT_BATCH = 500;

/**
 * Snapshots of unified records. A sync writes all rows of a new snapshot first, then switches the
 * account to it in one transaction; readers never see a half-written snapshot.
 */
@Injectable()
export class DirectoryRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async write(snapshotId: string, kind: SnapshotKind, records: DirectoryRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += INSERT_BATCH) {
      const rows = records.slice(start, start + INSERT_BATCH).map((r) => ({ snapshot_id: snapshotId, kind, ...r }));
      await this.db.insertInto('directory_records').values(rows).execute();
    }
  }

  /** Makes `snapshotId` the account's served snapshot, atomically with the account's sync fields. */
  async activate(accountId: string, snapshotId: string, accountChanges: { last_synced_at: string; last_sync_status: string; updated_at: string }): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ current_snapshot_id: snapshotId, ...accountChanges })
      .where('id', '=', accountId)
      .execute();
  }

  /** Keyset page ordered by id, one extra row to tell whether more follow. */
  async page(snapshotId: string, kind: SnapshotKind, afterId: string | null, limit: number): Promise<DirectoryRecord[]> {
    let query = this.db
      .selectFrom('directory_records')
      .select(['id', 'data', 'remote_data'])
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
  async pageWithOverlay(snapshotId: string, base: DirectoryResource, overlay: OverlayKind, afterId: string | null, limit: number): Promise<DirectoryRecord[]> {
    const out: DirectoryRecord[] = [];
    const batch = 2 * (limit + 1);
    let after = afterId;
    for (;;) {
      let query = this.db
        .selectFrom('directory_records')
        .select(['id', 'data', 'remote_data'])
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
