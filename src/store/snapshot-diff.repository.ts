import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { HubDatabase } from './database';
import { HUB_DATABASE } from './database.token';

/** A record of one snapshot, by id. */
export interface SnapshotRecord {
  id: string;
  data: string;
}

/** A record present in both snapshots whose stored JSON differs. */
export interface ChangedRecord {
  id: string;
  before: string;
  after: string;
}

/** A seat that turned reclaimable between two syncs. */
export interface TurnedSeat {
  id: string;
  data: string;
  never_used: number;
  activity_key: string;
}

/**
 * Differences between two snapshots of an account, found by the database in keyset batches so a
 * 40k-user account whose every user changed never needs both snapshots in memory: each call returns
 * at most `limit` rows after `afterId`, in id order.
 */
@Injectable()
export class SnapshotDiffRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  /** Whether a snapshot has the rows derived at sync (seats, people): those written before they existed have none. */
  async hasDerivedRows(snapshotId: string): Promise<boolean> {
    const rows = await sql<{ one: number }>`select 1 as one where exists (select 1 from seats where snapshot_id = ${snapshotId})
      or exists (select 1 from people where snapshot_id = ${snapshotId})`.execute(this.db);
    return rows.rows.length > 0;
  }

  /**
   * Accounts whose served snapshot has users but none of the derived rows: snapshots written by a
   * hub from before seats and people existed. One sync rebuilds them.
   */
  async accountsMissingDerivedRows(): Promise<string[]> {
    const rows = await sql<{ id: string }>`select a.id from accounts a
      where a.current_snapshot_id is not null
        and exists (select 1 from directory_records r where r.snapshot_id = a.current_snapshot_id and r.kind = 'users')
        and not exists (select 1 from seats s where s.snapshot_id = a.current_snapshot_id)
        and not exists (select 1 from people p where p.snapshot_id = a.current_snapshot_id)`.execute(this.db);
    return rows.rows.map((r) => r.id);
  }

  /** Records of `kind` in snapshot `from` that snapshot `other` does not have. */
  async missingFrom(from: string, other: string, kind: string, afterId: string, limit: number): Promise<SnapshotRecord[]> {
    const rows = await sql<SnapshotRecord>`select x.id, x.data from directory_records x
      where x.snapshot_id = ${from} and x.kind = ${kind} and x.id > ${afterId}
        and not exists (select 1 from directory_records y where y.snapshot_id = ${other} and y.kind = ${kind} and y.id = x.id)
      order by x.id limit ${limit}`.execute(this.db);
    return rows.rows;
  }

  /** Records of `kind` in both snapshots whose JSON differs. */
  async changed(before: string, after: string, kind: string, afterId: string, limit: number): Promise<ChangedRecord[]> {
    const rows = await sql<ChangedRecord>`select x.id, y.data as before, x.data as after from directory_records x
      join directory_records y on y.snapshot_id = ${before} and y.kind = x.kind and y.id = x.id
      where x.snapshot_id = ${after} and x.kind = ${kind} and x.id > ${afterId} and x.data <> y.data
      order by x.id limit ${limit}`.execute(this.db);
    return rows.rows;
  }

  /**
   * Seats (outdated ones left out) of one snapshot that turn reclaimable between two cutoffs: last
   * activity, or a never-used seat's assignment, at or after `cutoffThen` and before `cutoffNow`.
   * In (activity_key, id) order after `after`, along the seats index, `limit` at a time.
   */
  async crossedCutoff(snapshotId: string, cutoffThen: string, cutoffNow: string, after: [string, string] | null, limit: number): Promise<TurnedSeat[]> {
    const position = after ? sql`and (activity_key, id) > (${after[0]}, ${after[1]})` : sql``;
    const rows = await sql<TurnedSeat>`select id, data, never_used, activity_key from seats
      where snapshot_id = ${snapshotId} and outdated = 0
        and ((never_used = 0 and activity_key >= ${cutoffThen} and activity_key < ${cutoffNow})
          or (activity_key = '' and never_used = 1 and assigned_at >= ${cutoffThen} and assigned_at < ${cutoffNow}))
        ${position}
      order by activity_key, id limit ${limit}`.execute(this.db);
    return rows.rows;
  }
}
