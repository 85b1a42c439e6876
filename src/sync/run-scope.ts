import { setMaxListeners } from 'node:events';
import type { RunScope } from '../connector-kit/connector.contract';

export interface RunProgress {
  upstream_requests: number;
  pages_done: number;
  pages_known: number | null;
  retries: number;
  retry_reasons: Record<string, number>;
}

/** One sync run's scratch space and progress, handed to the connector. */
export class SyncRunScope implements RunScope {
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly budget = new AbortController();
  private timer?: NodeJS.Timeout;

  constructor(private readonly budgetMs: number) {
    // Every request in flight listens to the budget signal; a run has more than Node's default 10.
    setMaxListeners(0, this.budget.signal);
  }

  /** Starts the budget clock when the run starts (not while it waits in the queue). */
  begin(): void {
    this.timer = setTimeout(() => this.budget.abort(), this.budgetMs);
    this.timer.unref();
  }

  /** Stops the run as if its budget ran out (its lease was lost: another replica reclaimed it). */
  cancel(): void {
    this.budget.abort();
  }

  /** Why the hub itself stopped this run (a shutdown), if it did. */
  stopReason?: Error;

  /** Stops the run for `reason` (a shutdown): requests in flight are aborted, the run ends failed. */
  stop(reason: Error): void {
    this.stopReason = reason;
    this.budget.abort(reason);
  }

  get signal(): AbortSignal {
    return this.budget.signal;
  }

  /** Stops the budget clock when the run ends either way. */
  finish(): void {
    clearTimeout(this.timer);
  }

  readonly progress: RunProgress = { upstream_requests: 0, pages_done: 0, pages_known: null, retries: 0, retry_reasons: {} };

  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.memos.has(key)) this.memos.set(key, load());
    return this.memos.get(key) as Promise<T>;
  }

  reportPages(done: number, known: number | null): void {
    this.progress.pages_done = done;
    this.progress.pages_known = known;
  }

  reportRequest(): void {
    this.progress.upstream_requests += 1;
  }

  reportRetry(reason: string): void {
    this.progress.retries += 1;
    // Group by code so the run record stays small however many retries happen.
    const code = reason.split(':')[0]!;
    this.progress.retry_reasons[code] = (this.progress.retry_reasons[code] ?? 0) + 1;
  }
}
