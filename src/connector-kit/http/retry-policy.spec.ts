import { backoffDelay, DEFAULT_RETRY_POLICY, parseRateLimitReset, parseRetryAfter, retryDelay } from './retry-policy';
import { isRetryableStatus } from './upstream-errors';

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP-date, capped', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('3', 60_000, now)).toBe(3000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', 60_000, now)).toBe(5000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', 60_000, now)).toBe(0);
    expect(parseRetryAfter('3600', 60_000, now)).toBe(60_000);
    expect(parseRetryAfter(undefined, 60_000, now)).toBeNull();
    expect(parseRetryAfter('soon', 60_000, now)).toBeNull();
  });

  it('backs off exponentially with jitter, within bounds', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 1)).toBe(400);
    expect(backoffDelay(policy, 10, () => 1)).toBe(1000);
  });

  it('reads X-RateLimit-Reset as an ISO time or epoch seconds, capped', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRateLimitReset('2026-11-22T10:00:02Z', 60_000, now)).toBe(2000);
    expect(parseRateLimitReset(String(now / 1000 + 3), 60_000, now)).toBe(3000);
    expect(parseRateLimitReset('2026-11-22T11:00:00Z', 60_000, now)).toBe(60_000);
    expect(parseRateLimitReset('2026-11-22T09:00:00Z', 60_000, now)).toBe(0);
    expect(parseRateLimitReset('soon', 60_000, now)).toBeNull();
    expect(parseRateLimitReset(undefined, 60_000, now)).toBeNull();
  });

  it('retries throttling and server trouble, not a 501 (the endpoint is not there) nor other 4xx', () => {
    expect([429, 408, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([501, 400, 403, 404, 405].map(isRetryableStatus)).toEqual([false, false, false, false, false]);
  });

  it('never retries sooner than the backoff, even when Retry-After says 0', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    // Retry-After: 0 (or a past HTTP-date) is floored at this attempt's backoff, growing per attempt.
    expect(retryDelay(policy, 1, 0, () => 1)).toBe(100);
    expect(retryDelay(policy, 3, 0, () => 1)).toBe(400);
    expect(retryDelay(policy, 1, 0, () => 0)).toBe(50);
    // A longer server-requested wait is kept as is; without one, the plain backoff.
    expect(retryDelay(policy, 1, 5000, () => 1)).toBe(5000);
    expect(retryDelay(policy, 2, null, () => 1)).toBe(200);
    expect(retryDelay(policy, 2, undefined, () => 1)).toBe(200);
  });
});
