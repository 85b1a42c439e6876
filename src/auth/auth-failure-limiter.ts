import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { HubError } from '../common/errors';
import { AUTH_REFUSED, AuthRefusedEvent } from './auth-events';

/** Failed authentications a client address may make in a minute before it is locked out for a minute. */
export const AUTH_FAILURES_PER_MINUTE = 30;
const WINDOW_MS = 60_000;
const LOCKOUT_MS = 60_000;
/** Locked-out addresses remembered at most; past that, expired entries are swept. */
const MAX_REMEMBERED = 10_000;

/**
 * Slows key guessing: every wrong, unknown or revoked key counts against the client's address in
 * the throttler's storage (the same storage as the per-key limit, so a shared one counts across
 * replicas). Once an address is over the limit its failed attempts get 429 instead of 401, for a
 * minute. A valid key is never refused: keys carry 256 random bits (the root key at least 24
 * characters), so guessing is hopeless anyway, and refusing valid keys would let anyone behind the
 * same address (a load balancer, a NAT) lock every client out with a few bad headers.
 */
@Injectable()
export class AuthFailureLimiter {
  /** Lockouts this process learnt of, so a locked-out request costs no storage round trip. */
  private readonly lockedUntil = new Map<string, number>();
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly events: EventEmitter2,
  ) {}

  /** Throws 429 while `address` is locked out. */
  assertNotLockedOut(address: string): void {
    const until = this.lockedUntil.get(address);
    if (until === undefined) return;
    const now = Date.now();
    if (until <= now) {
      this.lockedUntil.delete(address);
      return;
    }
    this.counted('locked_out');
    throw lockedOut(Math.ceil((until - now) / 1000));
  }

  /** Counts one failed authentication; throws 429 when it is one too many. */
  async recordFailure(address: string): Promise<void> {
    const record = await this.storage.increment(`auth-failures:${address}`, WINDOW_MS, AUTH_FAILURES_PER_MINUTE, LOCKOUT_MS, 'auth-failures');
    if (!record.isBlocked) return this.counted('refused');
    this.counted('locked_out');
    if (!this.lockedUntil.has(address)) {
      // Once per lockout of an address on this replica: what an operator needs to see, bounded by
      // the limit itself (one line per AUTH_FAILURES_PER_MINUTE failures at most).
      this.logger.warn(`locked out ${address} for ${record.timeToBlockExpire} s after ${AUTH_FAILURES_PER_MINUTE} failed authentications in a minute`);
    }
    if (this.lockedUntil.size >= MAX_REMEMBERED) this.sweep();
    this.lockedUntil.set(address, Date.now() + record.timeToBlockExpire * 1000);
    throw lockedOut(record.timeToBlockExpire);
  }

  private counted(result: AuthRefusedEvent['result']): void {
    this.events.emit(AUTH_REFUSED, { result } satisfies AuthRefusedEvent);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [address, until] of this.lockedUntil) if (until <= now) this.lockedUntil.delete(address);
  }
}

function lockedOut(seconds: number): HubError {
  const wait = Math.max(1, seconds);
  return new HubError('TOO_MANY_AUTH_FAILURES', `Too many failed authentications from this address; retry in ${wait} s`, {
    retryAfterSeconds: wait,
  });
}
