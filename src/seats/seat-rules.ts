/**
 * When a seat can be reclaimed. Pure, so every boundary is a unit test (seat-rules.spec.ts); the
 * store evaluates the same rules in SQL (seats.repository.ts) and both are checked against each other.
 *
 * - `inactive`: the last activity on the seat is older than `inactive_days` (strictly).
 * - `never_used`: no activity recorded, or the last activity is older than the seat's current
 *   assignment (it belonged to a previous holder); and the seat was assigned more than
 *   `inactive_days` ago, or its assignment date is unknown. A seat assigned within the window and not
 *   used yet is not reclaimable.
 * Days count from the request time.
 */
export const DEFAULT_INACTIVE_DAYS = 60;
export const MAX_INACTIVE_DAYS = 3650;
const DAY_MS = 86_400_000;

export type ReclaimReason = 'never_used' | 'inactive';

export interface SeatDates {
  /** ISO 8601 UTC, or null when the upstream does not say. */
  assigned_at: string | null;
  last_active_at: string | null;
}

/** No activity, or only activity from before the current assignment. */
export function isNeverUsed(seat: SeatDates): boolean {
  if (seat.last_active_at === null) return true;
  return seat.assigned_at !== null && seat.last_active_at < seat.assigned_at;
}

/** The instant before which activity (or an assignment) counts as `inactiveDays` old. ISO 8601 UTC. */
export function inactivityCutoff(now: number, inactiveDays: number): string {
  return new Date(now - inactiveDays * DAY_MS).toISOString();
}

export function reclaimReason(seat: SeatDates, cutoff: string): ReclaimReason | null {
  if (isNeverUsed(seat)) return seat.assigned_at === null || seat.assigned_at < cutoff ? 'never_used' : null;
  return seat.last_active_at! < cutoff ? 'inactive' : null;
}

/** Whole days since the last activity, or since the assignment when never used; null when neither is known. */
export function daysInactive(seat: SeatDates, now: number): number | null {
  const since = isNeverUsed(seat) ? seat.assigned_at : seat.last_active_at;
  if (since === null) return null;
  return Math.max(0, Math.floor((now - Date.parse(since)) / DAY_MS));
}
