import { HubError } from '../common/errors';

/** Seconds a client told PROXY_BUSY is asked to wait: slots free up as fast as upstreams answer. */
const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * Proxied requests in flight per account, capped. Past the cap the request is refused at once
 * (429 + Retry-After) rather than queued: a queue would only move the jam into the hub, holding
 * client sockets and memory while every slot waits on a slow upstream.
 */
export class ProxySlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Takes a slot or throws PROXY_BUSY; the returned release is safe to call more than once. */
  acquire(accountId: string): () => void {
    const held = this.inFlight.get(accountId) ?? 0;
    if (held >= this.limit) {
      throw new HubError(
        'PROXY_BUSY',
        `This account already has ${this.limit} proxied requests in flight (HUB_PROXY_CONCURRENCY); wait for some to finish and retry after the Retry-After delay.`,
        { details: { limit: this.limit }, retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
      );
    }
    this.inFlight.set(accountId, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(accountId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(accountId, left);
      else this.inFlight.delete(accountId);
    };
  }

  /** Slots taken by an account (for tests and diagnostics). */
  held(accountId: string): number {
    return this.inFlight.get(accountId) ?? 0;
  }
}
