import { Inject, Injectable } from '@nestjs/common';
import { Expression, ExpressionBuilder, RawBuilder, sql, SqlBool } from 'kysely';
import { insertInBatches } from './batched-insert';
import type { HubDatabase } from './database';
import { HUB_DATABASE } from './database.token';
import type { Database, SeatsTable } from './schema';

export type SeatRow = Omit<SeatsTable, 'snapshot_id'>;

/** Which seats of a snapshot a query looks at. `cutoff`: activity (or an assignment) before it is old. */
export interface SeatFilter {
  cutoff: string;
  includeOutdated: boolean;
  productCode?: string;
  groupId?: string;
}

export interface SeatCounts {
  /** The product_code or plan_key counted by. */
  key: string;
  product_name: string | null;
  assigned: number;
  never_used: number;
  inactive: number;
}

/** A served seat: its stored JSON and the dates the request-time fields are computed from. */
export type StoredSeat = Pick<SeatsTable, 'id' | 'data' | 'activity_key' | 'assigned_at' | 'last_active_at' | 'never_used' | 'product_code'>;

/**
 * Seats of a snapshot and the reclaim rules in SQL (the same rules as src/seats/seat-rules.ts):
 * reclaimable = activity_key < cutoff (a never-used seat's key is '', below every date) and, for a
 * never-used seat, assigned before the cutoff or at an unknown date. The index on
 * (snapshot_id, activity_key, id) makes a page one range scan.
 */
@Injectable()
export class SeatsRepository {
  constructor(@Inject(HUB_DATABASE) private readonly db: HubDatabase) {}

  async write(snapshotId: string, seats: SeatRow[]): Promise<void> {
    await insertInBatches(this.db, 'seats', seats, (seat) => ({ snapshot_id: snapshotId, ...seat }));
  }

  /**
   * Replaces the product name and JSON of seats written earlier (a holder's or product's name known
   * only at the end of a sync). Found by the index's whole key: the fields it holds never change.
   */
  async update(snapshotId: string, seats: SeatRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const seat of seats) {
        await trx
          .updateTable('seats')
          .set({ product_name: seat.product_name, data: seat.data })
          .where('snapshot_id', '=', snapshotId)
          .where('activity_key', '=', seat.activity_key)
          .where('id', '=', seat.id)
          .execute();
      }
    });
  }

  /** Reclaimable seats in (activity_key, id) order after `after`, one extra row to tell whether more follow. */
  async reclaimablePage(snapshotId: string, filter: SeatFilter, after: [string, string] | null, limit: number): Promise<StoredSeat[]> {
    let query = this.db
      .selectFrom('seats')
      .select(['id', 'data', 'activity_key', 'assigned_at', 'last_active_at', 'never_used', 'product_code'])
      .where((eb) => this.matches(eb, snapshotId, filter))
      .where(reclaimableAt(filter.cutoff))
      .orderBy('activity_key')
      .orderBy('id')
      .limit(limit + 1);
    if (after) query = query.where(sql<SqlBool>`(activity_key, id) > (${after[0]}, ${after[1]})`);
    return query.execute();
  }

  /** Per product (or plan): seats held, and how many are reclaimable for each reason. */
  async counts(snapshotId: string, filter: SeatFilter, by: 'product_code' | 'plan_key'): Promise<SeatCounts[]> {
    const rows = await this.db
      .selectFrom('seats')
      .select([
        (eb) => eb.ref(by).as('key'),
        (eb) => eb.fn.max('product_name').as('product_name'),
        (eb) => eb.fn.countAll<number | string>().as('assigned'),
        sql<number | string>`sum(case when never_used = 1 and (assigned_at is null or assigned_at < ${filter.cutoff}) then 1 else 0 end)`.as('never_used'),
        sql<number | string>`sum(case when never_used = 0 and activity_key < ${filter.cutoff} then 1 else 0 end)`.as('inactive'),
      ])
      .where((eb) => this.matches(eb, snapshotId, filter))
      .groupBy(by)
      .orderBy(by)
      .execute();
    return rows.map((r) => ({
      key: r.key,
      product_name: r.product_name ?? null,
      assigned: Number(r.assigned),
      never_used: Number(r.never_used ?? 0),
      inactive: Number(r.inactive ?? 0),
    }));
  }

  /**
   * The earliest date at or after the cutoff at which a seat would turn reclaimable (its last
   * activity, or a never-used seat's assignment). Counts computed at `cutoff` stay exact for every
   * later cutoff up to and including this date; null when no seat would ever turn.
   */
  async nextTurningPoint(snapshotId: string, filter: SeatFilter): Promise<string | null> {
    const activity = await this.db
      .selectFrom('seats')
      .select((eb) => eb.fn.min('activity_key').as('at'))
      .where((eb) => this.matches(eb, snapshotId, filter))
      .where('activity_key', '>=', filter.cutoff)
      .executeTakeFirst();
    const assignment = await this.db
      .selectFrom('seats')
      .select((eb) => eb.fn.min('assigned_at').as('at'))
      .where((eb) => this.matches(eb, snapshotId, filter))
      .where('never_used', '=', 1)
      .where('assigned_at', '>=', filter.cutoff)
      .executeTakeFirst();
    const dates = [activity?.at, assignment?.at].filter((d): d is string => typeof d === 'string');
    return dates.length ? dates.sort()[0]! : null;
  }

  private matches(eb: ExpressionBuilder<Database, 'seats'>, snapshotId: string, filter: SeatFilter): Expression<SqlBool> {
    const conditions = [eb('snapshot_id', '=', snapshotId)];
    if (!filter.includeOutdated) conditions.push(eb('outdated', '=', 0));
    if (filter.productCode !== undefined) conditions.push(eb('product_code', '=', filter.productCode));
    if (filter.groupId !== undefined) conditions.push(eb('group_id', '=', filter.groupId));
    return eb.and(conditions);
  }
}

/**
 * The reclaim rules in SQL, for the seats table or an alias of it: activity before the cutoff (a
 * never-used seat's key is '', below every date) and, for a never-used seat, assigned before the
 * cutoff or at an unknown date. One definition for every query that asks "reclaimable at cutoff?".
 */
export function reclaimableAt(cutoff: string, table = 'seats'): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  return sql<SqlBool>`(${column('activity_key')} < ${cutoff} and (${column('never_used')} = 0 or ${column('assigned_at')} is null or ${column('assigned_at')} < ${cutoff}))`;
}
