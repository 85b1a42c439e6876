const MAX_ENTRIES = 1_000;

interface Entry<T> {
  value: T;
  /** The cutoff the value was computed at: an earlier cutoff (a request that began earlier) may differ. */
  from: string;
  /** The value holds for every cutoff up to and including this date; null: for every later cutoff. */
  validThrough: string | null;
  /** And only until this time (ms), when it also depends on the clock (days counted on a page); null: no limit. */
  expiresAt: number | null;
}

/**
 * Values computed from a snapshot's seats at one inactivity cutoff (per-product or per-plan counts,
 * a rendered page of reclaimable seats), kept while they stay exact. They only change when the
 * moving cutoff passes a seat's activity or assignment date (the turning point SeatsRepository
 * reports), so an entry serves cutoffs from the one it was computed at up to that date; an entry
 * that also counts days since a date expires when the next of those days begins. A snapshot never
 * changes, and a new snapshot has a new key.
 */
export class CutoffCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  get(key: string, cutoff: string, now = Date.now()): { value: T; validThrough: string | null } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (cutoff < entry.from) return undefined;
    if ((entry.validThrough !== null && cutoff > entry.validThrough) || (entry.expiresAt !== null && now >= entry.expiresAt)) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value, validThrough: entry.validThrough };
  }

  set(key: string, value: T, from: string, validThrough: string | null, expiresAt: number | null = null): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, from, validThrough, expiresAt });
  }
}
