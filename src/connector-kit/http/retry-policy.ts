/**
 * When and how long to wait before retrying a read. Writes are never retried (the caller decides
 * by not passing a policy): a repeated POST could assign a second license.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound for a server-requested Retry-After. */
  retryAfterCapMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  retryAfterCapMs: 60_000,
};

/** Exponential backoff with full jitter (AWS architecture blog): spreads retries of many clients. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The wait before retry `attempt`: the server's Retry-After (or rate-limit reset) when it sent one,
 * but never less than this attempt's backoff. An upstream answering `Retry-After: 0` (or a date in
 * the past) would otherwise get every remaining attempt at once, which is exactly the burst a
 * throttled API does not want.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | null | undefined, random = Math.random): number {
  const backoff = backoffDelay(policy, attempt, random);
  return retryAfterMs === null || retryAfterMs === undefined ? backoff : Math.max(retryAfterMs, backoff);
}

/**
 * Reads Retry-After in both forms RFC 9110 allows: delay-seconds or an HTTP-date.
 * Returns milliseconds, capped, or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, capMs: number, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  let ms: number;
  if (/^\s*\d+\s*$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, capMs);
}

/**
 * Reads `X-RateLimit-Reset` (Atlassian sends an ISO 8601 time; others send epoch seconds) as the
 * wait until the limit resets. Used for a 429 without Retry-After. Capped; null when unreadable.
 */
export function parseRateLimitReset(value: string | string[] | undefined, capMs: number, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  let at: number;
  if (/^\s*\d{9,11}\s*$/.test(text)) at = Number(text) * 1000;
  else at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), capMs);
}
