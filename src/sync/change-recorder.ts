import { Inject, Injectable } from '@nestjs/common';
import type { UnifiedUser } from '../connector-kit';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { seatsOfUser } from '../connector-kit';
import { DEFAULT_INACTIVE_DAYS, inactivityCutoff, ReclaimReason, reclaimReason } from '../seats/seat-rules';
import type { Seat } from '../connector-kit';
import { ChangeRow, ChangesRepository } from '../store/changes.repository';
import { SnapshotDiffRepository } from '../store/snapshot-diff.repository';
import { FieldChange, userChanges } from './user-changes';

/** Records compared (and changes written) at a time: what bounds the memory of a diff. */
const BATCH = 500;

export interface ChangeData {
  user_id: string;
  email: string | null;
  name: string | null;
  changes?: FieldChange[];
  seat?: { id: string; product_code: string; product_name: string | null; reason: 'never_used' | 'inactive'; inactive_days: number };
}

interface Run {
  accountId: string;
  runId: string;
  /** The snapshot served until now and when its run finished; null for the first sync (the baseline). */
  previous: { snapshotId: string; finishedAt: string } | null;
  snapshotId: string;
  /** When this run finishes: the changes' occurred_at. */
  finishedAt: string;
  /** The account's inactivity window for seat.reclaimable (its setting, or the default). */
  inactiveDays?: number;
}

/**
 * Writes the change feed of a sync: people added, removed and changed (status, name, email,
 * licenses, groups; activity alone is no change), and seats that turned reclaimable. The database
 * finds the differing records batch by batch, so neither snapshot is ever held in memory. The
 * first sync of an account is the baseline and records nothing. Rows are written before the
 * snapshot switch and only served once the run has succeeded.
 */
@Injectable()
export class ChangeRecorder {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly diff: SnapshotDiffRepository,
    private readonly changes: ChangesRepository,
  ) {}

  async record(run: Run): Promise<number> {
    if (!run.previous) return 0;
    const previous = run.previous.snapshotId;
    let seq = await this.changes.nextSeq(run.accountId);
    let written = 0;
    const write = async (type: string, items: ChangeData[]) => {
      const rows: ChangeRow[] = items.map((data) => ({
        account_id: run.accountId,
        seq: seq++,
        sync_run_id: run.runId,
        type,
        occurred_at: run.finishedAt,
        data: JSON.stringify(data),
      }));
      if (rows.length) await this.changes.insert(rows);
      written += rows.length;
    };
    // A previous snapshot from before seats existed has none: every reclaimable seat would look new.
    const days = run.inactiveDays ?? DEFAULT_INACTIVE_DAYS;
    const seats = (await this.diff.hasDerivedRows(previous))
      ? new TurnedSeats(inactivityCutoff(Date.parse(run.previous.finishedAt), days), inactivityCutoff(Date.parse(run.finishedAt), days), days)
      : null;

    await this.walk((after) => this.diff.missingFrom(run.snapshotId, previous, 'users', after, BATCH), (rows) => {
      const users = rows.map((r) => JSON.parse(r.data) as UnifiedUser);
      for (const user of users) seats?.compare(null, user);
      return write('user.added', users.map(personOf));
    });
    await this.walk((after) => this.diff.missingFrom(previous, run.snapshotId, 'users', after, BATCH), (rows) =>
      write('user.removed', rows.map((r) => personOf(JSON.parse(r.data) as UnifiedUser))),
    );
    await this.walk((after) => this.diff.changed(previous, run.snapshotId, 'users', after, BATCH), (rows) => {
      const updated: ChangeData[] = [];
      for (const row of rows) {
        const before = JSON.parse(row.before) as UnifiedUser;
        const after = JSON.parse(row.after) as UnifiedUser;
        seats?.compare(before, after);
        const changes = userChanges(before, after);
        if (changes.length) updated.push({ ...personOf(after), changes });
      }
      return write('user.updated', updated);
    });
    if (!seats) return written;
    await write('seat.reclaimable', seats.found);
    // People whose record did not change: their seats are as they were, so one turns only when the
    // moving cutoff passed its last activity (or, never used, its assignment) since the last sync.
    let after: [string, string] | null = null;
    for (;;) {
      const rows = await this.diff.crossedCutoff(run.snapshotId, seats.cutoffThen, seats.cutoffNow, after, BATCH);
      const turned = rows.map((row) => ({ row, seat: JSON.parse(row.data) as Omit<Seat, 'outdated'> })).filter(({ seat }) => !seats.seen.has(seat.user_id));
      await write('seat.reclaimable', turned.map(({ row, seat }) => seatChange(seat, row.never_used ? 'never_used' : 'inactive', days)));
      if (rows.length < BATCH) return written;
      const last = rows[rows.length - 1]!;
      after = [last.activity_key, last.id];
    }
  }

  /** Drops what fell out of HUB_CHANGES_RETENTION for this account. */
  async prune(accountId: string, now = Date.now()): Promise<void> {
    await this.changes.prune(accountId, new Date(now - this.config.changesRetentionMs).toISOString());
  }

  /** Pages through a keyset query to its end, handing each batch over. */
  private async walk<T extends { id: string }>(page: (afterId: string) => Promise<T[]>, handle: (rows: T[]) => Promise<void>): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await page(after);
      if (rows.length === 0) return;
      await handle(rows);
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1]!.id;
    }
  }
}

/**
 * Seats of people whose record was added or changed, compared in memory (their rows are at hand
 * from the user diff): a seat reclaimable now that was not at the previous sync's cutoff, or did not
 * exist. Only those seats are kept, and the people seen, so the cutoff pass can skip them.
 */
class TurnedSeats {
  readonly found: ChangeData[] = [];
  readonly seen = new Set<string>();

  constructor(
    readonly cutoffThen: string,
    readonly cutoffNow: string,
    readonly inactiveDays: number,
  ) {}

  compare(before: UnifiedUser | null, after: UnifiedUser): void {
    this.seen.add(after.id);
    const then = new Map(before ? seatsOfUser(before).map((seat) => [seat.id, reclaimReason(seat, this.cutoffThen)]) : []);
    for (const seat of seatsOfUser(after)) {
      const reason = reclaimReason(seat, this.cutoffNow);
      if (reason !== null && !then.get(seat.id)) this.found.push(seatChange(seat, reason, this.inactiveDays));
    }
  }
}

function seatChange(seat: Omit<Seat, 'outdated'>, reason: ReclaimReason, inactiveDays: number): ChangeData {
  return {
    user_id: seat.user_id,
    email: seat.email,
    name: seat.name,
    seat: { id: seat.id, product_code: seat.product_code, product_name: seat.product_name, reason, inactive_days: inactiveDays },
  };
}

function personOf(user: UnifiedUser): ChangeData {
  return { user_id: user.id, email: user.email, name: user.name };
}
