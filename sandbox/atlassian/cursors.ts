import { seededRandom } from '../shared/random';

/** What a cursor stands for, kept server-side only. */
export interface CursorEntry<S> {
  kind: string;
  orgId: string;
  state: S;
  expiresAt: number;
}

/**
 * Opaque page cursors, as the real Admin API hands out (reference §3.4: a client must only pass
 * them back). A cursor is base64 of a random token (seeded, so runs repeat) that maps to the page
 * state here: nothing in it can be decoded into an offset, a forged or mistyped one is unknown,
 * one for another org or list is refused, and one older than the TTL or from before a dataset
 * change is stale. Every such cursor gets the documented 400 `ADMIN-400-1`.
 */
export class CursorStore<S> {
  private readonly entries = new Map<string, CursorEntry<S>>();
  private readonly random: () => number;

  constructor(
    seed: number,
    private readonly ttlMs: () => number,
    /** Oldest cursors are forgotten past this many, so a long-running simulator stays small. */
    private readonly max = 100_000,
  ) {
    this.random = seededRandom(seed);
  }

  issue(kind: string, orgId: string, state: S): string {
    // 20 random bytes: standard base64 with `+`, `/` and `=` padding, so clients must URL-encode it.
    const token = Buffer.from(Array.from({ length: 20 }, () => Math.floor(this.random() * 256))).toString('base64');
    this.entries.set(token, { kind, orgId, state, expiresAt: Date.now() + this.ttlMs() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return token;
  }

  /** The state behind a cursor, or null when it is unknown, expired, or was issued for another list. */
  resolve(cursor: string, kind: string, orgId: string): S | null {
    const entry = this.entries.get(cursor);
    if (!entry || entry.kind !== kind || entry.orgId !== orgId) return null;
    if (entry.expiresAt < Date.now()) {
      this.entries.delete(cursor);
      return null;
    }
    return entry.state;
  }

  /** Makes every cursor handed out so far stale (a dataset change, or a test of staleness). */
  forgetAll(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
