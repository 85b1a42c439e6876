import type { SerializedRecord, UnifiedUser } from '../connector-kit';
import { TOMBSTONE } from '../connector-kit/snapshot-records';
import { seatsOfUser } from '../seats/seat-derivation';
import { isNeverUsed } from '../seats/seat-rules';
import type { Seat } from '../seats/seat.types';
import type { SeatRow, SeatsRepository } from '../store/seats.repository';

/**
 * Derives the seats of a snapshot from its users as they are written, whichever way the connector
 * hands them over (objects from its list methods, or records it serialised itself). A seat id seen
 * twice in one snapshot is written once.
 */
export class SeatWriter {
  private readonly written = new Set<string>();

  constructor(
    private readonly seats: SeatsRepository,
    private readonly snapshotId: string,
  ) {}

  /** Users of the default view; with `outdatedOnly`, users of the outdated-inclusive view (their lapsed licenses only). */
  async writeUsers(users: UnifiedUser[], outdatedOnly = false): Promise<void> {
    const rows: SeatRow[] = [];
    for (const user of users) for (const seat of seatsOfUser(user, outdatedOnly)) this.add(seat, rows);
    if (rows.length) await this.seats.write(this.snapshotId, rows);
  }

  async writeRecords(records: SerializedRecord[], outdatedOnly = false): Promise<void> {
    const users: UnifiedUser[] = [];
    for (const record of records) if (record.data !== TOMBSTONE) users.push(JSON.parse(record.data) as UnifiedUser);
    await this.writeUsers(users, outdatedOnly);
  }

  private add(seat: Seat, rows: SeatRow[]): void {
    if (this.written.has(seat.id)) return;
    this.written.add(seat.id);
    const neverUsed = isNeverUsed(seat);
    const { outdated, ...served } = seat;
    rows.push({
      id: seat.id,
      product_code: seat.product_code,
      product_name: seat.product_name,
      group_id: seat.group?.id ?? null,
      outdated: outdated ? 1 : 0,
      never_used: neverUsed ? 1 : 0,
      activity_key: neverUsed ? '' : seat.last_active_at!,
      assigned_at: seat.assigned_at,
      last_active_at: seat.last_active_at,
      data: JSON.stringify(served),
    });
  }
}
