import type { SeatCounts } from '../store/seats.repository';

const MAX_ENTRIES = 1_000;

interface Entry {
  counts: SeatCounts[];
  /** The cutoff the counts were computed at: an earlier cutoff (a request that began earlier) may differ. */
  from: string;
  /** The counts hold for every cutoff up to and including this date; null: for every later cutoff. */
  validThrough: string | null;
}

/**
 * Per-product (or per-plan) seat counts of a snapshot, kept while they stay exact. Counting scans every seat of
 * the filtered set; but the counts only change when the moving cutoff passes a seat's activity or
 * assignment date, so an entry is reused for cutoffs from the one it was computed at up to the next
 * such date (a snapshot never changes, and a new snapshot has a new key).
 */
export class SeatCountsCache {
  private readonly entries = new Map<string, Entry>();

  get(key: string, cutoff: string): SeatCounts[] | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (cutoff < entry.from) return undefined;
    if (entry.validThrough !== null && cutoff > entry.validThrough) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.counts;
  }

  set(key: string, counts: SeatCounts[], from: string, validThrough: string | null): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { counts, from, validThrough });
  }
}
