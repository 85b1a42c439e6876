import { setMaxListeners } from 'node:events';
import type { RunScope } from '../connector-kit/connector.contract';

/** One memoised load: pending (settledAt null) or settled at a time. Failures are not kept. */
interface Entry {
  promise: Promise<unknown>;
  settledAt: number | null;
}

/** The live reads of one account, under one set of credentials. */
interface AccountReads {
  credentials: string;
  entries: Map<string, Entry>;
  scope: LiveReadScope;
}

/** How often idle accounts and expired loads are dropped. */
const SWEEP_EVERY_MS = 1000;

/**
 * `source=live` reads of an account share one RunScope, the way the lists of a sync run share
 * theirs: a connector that builds every list from one full upstream read (JetBrains: people are
 * assembled from every license page) memoises that read in the scope, so concurrent live reads of
 * one account make the requests of one read (single flight), and reads within HUB_LIVE_CACHE_TTL
 * of its end (further pages, other lists, repeats) make none. Each load is bounded by
 * HUB_SYNC_BUDGET like a sync. Accounts never share a scope, and new credentials start afresh.
 */
export class LiveReads {
  private readonly accounts = new Map<string, AccountReads>();
  private lastSweep = Date.now();

  constructor(
    private readonly ttlMs: number,
    private readonly budgetMs: number,
  ) {}

  /**
   * The scope for a live read of `accountId`. `credentials` (the sealed value) tells a PATCH of
   * the credentials apart: what was read with the old ones is not served for the new ones.
   */
  scopeFor(accountId: string, credentials: string): LiveReadScope {
    const now = Date.now();
    this.sweep(now);
    let reads = this.accounts.get(accountId);
    if (!reads || reads.credentials !== credentials) {
      const entries = new Map<string, Entry>();
      reads = { credentials, entries, scope: new LiveReadScope(entries, this.ttlMs, this.budgetMs) };
      this.accounts.set(accountId, reads);
    } else if (now - reads.scope.createdAt >= Math.min(1000, this.budgetMs / 10)) {
      // A load started in a scope gets the budget left on the scope's clock, so a new load starts
      // in a fresh scope (at most a second old); loads in flight and fresh results carry over.
      reads.scope = new LiveReadScope(reads.entries, this.ttlMs, this.budgetMs);
    }
    return reads.scope;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, reads] of this.accounts) {
      for (const [key, entry] of reads.entries) if (!isFresh(entry, this.ttlMs, now)) reads.entries.delete(key);
      if (reads.entries.size === 0) this.accounts.delete(id);
    }
  }
}

/** The RunScope a live read hands the connector: memo shared across the account's live reads. */
export class LiveReadScope implements RunScope {
  readonly createdAt = Date.now();
  readonly signal: AbortSignal;

  constructor(
    private readonly entries: Map<string, Entry>,
    private readonly ttlMs: number,
    budgetMs: number,
  ) {
    this.signal = AbortSignal.timeout(budgetMs);
    // Every page request of a load listens to the budget signal; a load has more than Node's default 10.
    setMaxListeners(0, this.signal);
  }

  /** A connector's whole-list read: shared while in flight, and kept HUB_LIVE_CACHE_TTL after. */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.load(key, load, true);
  }

  /**
   * A read shared only while in flight (one page asked for by several clients at once). Not kept:
   * a page derived from a kept read would otherwise outlive that read's TTL.
   */
  join<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.load(`join:${key}`, load, false);
  }

  private load<T>(key: string, load: () => Promise<T>, keep: boolean): Promise<T> {
    const existing = this.entries.get(key);
    if (existing && isFresh(existing, this.ttlMs, Date.now())) return existing.promise as Promise<T>;
    const entry: Entry = { promise: Promise.resolve(), settledAt: null };
    entry.promise = load().then(
      (value) => {
        entry.settledAt = Date.now();
        const drop = () => {
          if (this.entries.get(key) === entry) this.entries.delete(key);
        };
        // A whole organization's read is large: let it go when its TTL ends, even if no read follows.
        if (keep) setTimeout(drop, this.ttlMs).unref();
        else drop();
        return value;
      },
      (error: unknown) => {
        // The readers waiting now share the failure; the next one tries again.
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw error;
      },
    );
    this.entries.set(key, entry);
    return entry.promise as Promise<T>;
  }

  reportPages(): void {}
  reportRetry(): void {}
  reportRequest(): void {}
}

function isFresh(entry: Entry, ttlMs: number, now: number): boolean {
  return entry.settledAt === null || now - entry.settledAt < ttlMs;
}
