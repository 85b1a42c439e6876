import type { DerivedRows, DerivedSeatRow, SerializedRecord, UnifiedUser } from '../connector-kit';
import { deriveRows, deriveRowsOfRecords } from '../connector-kit';
import { isNeverUsed } from '../seats/seat-rules';
import type { PeopleRepository } from '../store/people.repository';
import type { SeatRow, SeatsRepository } from '../store/seats.repository';

/** Seats held back before they are written (about 1 KB each as rows). */
const SEAT_BATCH = 10_000;

const bySeatKey = (a: SeatRow, b: SeatRow) => (a.activity_key < b.activity_key ? -1 : a.activity_key > b.activity_key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Writes what the hub derives from a snapshot's users, as they are written and whichever way the
 * connector hands them over (objects from its list methods, records it serialised itself, or
 * records with the rows it derived beside them): the seats they hold, and the people index by
 * email. A seat id seen twice in one snapshot is written once.
 */
export class DerivedRowsWriter {
  private readonly seatIds = new Set<string>();
  /** Seats not written yet, by id (see flush). */
  private pendingSeats = new Map<string, SeatRow>();

  constructor(
    private readonly seats: SeatsRepository,
    private readonly people: PeopleRepository,
    private readonly snapshotId: string,
  ) {}

  /** Users of the default view (`withOutdated`: of the outdated-inclusive view, whose lapsed seats are new). */
  writeUsers(users: UnifiedUser[], withOutdated = false): Promise<void> {
    return this.writeRows(deriveRows(users, withOutdated));
  }

  /** Records of users; `derived` when the connector derived their rows already (RecordsChunk.derived). */
  writeRecords(records: SerializedRecord[], withOutdated = false, derived?: DerivedRows): Promise<void> {
    return this.writeRows(derived ?? deriveRowsOfRecords(records, withOutdated));
  }

  /** Seats a connector handed over ahead of their users' records (PartsChunk.seats). */
  async writeSeats(seats: DerivedSeatRow[]): Promise<void> {
    await this.writeRows({ seats, people: [] });
  }

  /** Writes the seats still held back; call once every user was written. */
  async finish(): Promise<void> {
    await this.flushSeats();
  }

  private async writeRows({ seats, people, seatUpdates }: DerivedRows): Promise<void> {
    for (const seat of seats) this.addSeat(seat);
    if (seatUpdates?.length) await this.updateSeats(seatUpdates);
    if (this.pendingSeats.size >= SEAT_BATCH) await this.flushSeats();
    if (people.length) await this.people.write(this.snapshotId, people);
  }

  /** Corrections of seats handed over earlier: in the batch still held back, or in the database. */
  private async updateSeats(updates: DerivedSeatRow[]): Promise<void> {
    const written: SeatRow[] = [];
    for (const update of updates) {
      // Only seats this snapshot has: a correction never adds a seat.
      if (!this.seatIds.has(update.id)) continue;
      const row = toSeatRow(update);
      if (this.pendingSeats.has(update.id)) this.pendingSeats.set(update.id, row);
      else written.push(row);
    }
    if (written.length) await this.seats.update(this.snapshotId, written);
  }

  /**
   * Seats are keyed by (activity, id), which users in id order visit at random: each transaction
   * of seats rewrites most pages of that index. Held back and written SEAT_BATCH at a time, sorted
   * by key, there are fewer transactions, and each one's inserts walk the index in order.
   */
  private addSeat(seat: DerivedSeatRow): void {
    if (this.seatIds.has(seat.id)) return;
    this.seatIds.add(seat.id);
    this.pendingSeats.set(seat.id, toSeatRow(seat));
  }

  private async flushSeats(): Promise<void> {
    if (this.pendingSeats.size === 0) return;
    const rows = [...this.pendingSeats.values()].sort(bySeatKey);
    this.pendingSeats = new Map();
    await this.seats.write(this.snapshotId, rows);
  }
}

/**
 * The stored row of a seat. Spelled out rather than spread: rows that came from a worker thread
 * (structured clone) are slow to copy by spread, and every row then has one shape for the sort
 * and the INSERT.
 */
function toSeatRow(seat: DerivedSeatRow): SeatRow {
  const neverUsed = isNeverUsed(seat);
  return {
    id: seat.id,
    product_code: seat.product_code,
    product_name: seat.product_name,
    group_id: seat.group_id,
    plan_key: seat.plan_key,
    outdated: seat.outdated ? 1 : 0,
    never_used: neverUsed ? 1 : 0,
    activity_key: neverUsed ? '' : seat.last_active_at!,
    assigned_at: seat.assigned_at,
    last_active_at: seat.last_active_at,
    data: seat.data,
  };
}
