import type { SerializedRecord, UnifiedUser } from '../connector-kit';
import { TOMBSTONE } from '../connector-kit/snapshot-records';
import { personOfUser } from '../seats/person-derivation';
import { seatPlanKey, seatsOfUser } from '../seats/seat-derivation';
import { isNeverUsed } from '../seats/seat-rules';
import type { Seat } from '../seats/seat.types';
import type { PeopleRepository, PersonRow } from '../store/people.repository';
import type { SeatRow, SeatsRepository } from '../store/seats.repository';

/** Seats held back before they are written (about 1 KB each as rows). */
const SEAT_BATCH = 10_000;

const bySeatKey = (a: SeatRow, b: SeatRow) => (a.activity_key < b.activity_key ? -1 : a.activity_key > b.activity_key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Writes what the hub derives from a snapshot's users, as they are written and whichever way the
 * connector hands them over (objects from its list methods, or records it serialised itself): the
 * seats they hold, and the people index by email. A seat id seen twice in one snapshot is written once.
 */
export class DerivedRowsWriter {
  private readonly seatIds = new Set<string>();
  /** Seats not written yet (see flush). */
  private pendingSeats: SeatRow[] = [];

  constructor(
    private readonly seats: SeatsRepository,
    private readonly people: PeopleRepository,
    private readonly snapshotId: string,
  ) {}

  /** Users of the default view. */
  async writeUsers(users: UnifiedUser[]): Promise<void> {
    const seatRows: SeatRow[] = [];
    const personRows: PersonRow[] = [];
    for (const user of users) {
      for (const seat of seatsOfUser(user)) this.addSeat(seat, seatRows);
      const person = personOfUser(user);
      if (person) personRows.push({ email: person.email, user_id: user.id, data: JSON.stringify(person.entry) });
    }
    await this.addSeats(seatRows);
    if (personRows.length) await this.people.write(this.snapshotId, personRows);
  }

  /** Users of the outdated-inclusive view: only the seats of their lapsed licenses are new. */
  async writeUsersWithOutdated(users: UnifiedUser[]): Promise<void> {
    const seatRows: SeatRow[] = [];
    for (const user of users) for (const seat of seatsOfUser(user, true)) this.addSeat(seat, seatRows);
    await this.addSeats(seatRows);
  }

  /** Writes the seats still held back; call once every user was written. */
  async finish(): Promise<void> {
    await this.flushSeats();
  }

  /**
   * Seats are keyed by (activity, id), which users in id order visit at random: each transaction
   * of seats rewrites most pages of that index. Held back and written SEAT_BATCH at a time, sorted
   * by key, there are fewer transactions, and each one's inserts walk the index in order.
   */
  private async addSeats(rows: SeatRow[]): Promise<void> {
    for (const row of rows) this.pendingSeats.push(row);
    if (this.pendingSeats.length >= SEAT_BATCH) await this.flushSeats();
  }

  private async flushSeats(): Promise<void> {
    if (this.pendingSeats.length === 0) return;
    const rows = this.pendingSeats.sort(bySeatKey);
    this.pendingSeats = [];
    await this.seats.write(this.snapshotId, rows);
  }

  async writeRecords(records: SerializedRecord[], withOutdated = false): Promise<void> {
    const users: UnifiedUser[] = [];
    for (const record of records) if (record.data !== TOMBSTONE) users.push(JSON.parse(record.data) as UnifiedUser);
    await (withOutdated ? this.writeUsersWithOutdated(users) : this.writeUsers(users));
  }

  private addSeat(seat: Seat, rows: SeatRow[]): void {
    if (this.seatIds.has(seat.id)) return;
    this.seatIds.add(seat.id);
    const neverUsed = isNeverUsed(seat);
    const { outdated, ...served } = seat;
    rows.push({
      id: seat.id,
      product_code: seat.product_code,
      product_name: seat.product_name,
      group_id: seat.group?.id ?? null,
      plan_key: seatPlanKey(seat),
      outdated: outdated ? 1 : 0,
      never_used: neverUsed ? 1 : 0,
      activity_key: neverUsed ? '' : seat.last_active_at!,
      assigned_at: seat.assigned_at,
      last_active_at: seat.last_active_at,
      data: JSON.stringify(served),
    });
  }
}
