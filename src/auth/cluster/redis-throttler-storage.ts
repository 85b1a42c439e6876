import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { Result } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { ClusterRedis } from './cluster-redis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One hit, atomically, with the in-process storage's rules (ThrottlerStorageService of
 * @nestjs/throttler 6), so a limit means the same in cluster and embedded mode:
 * - the hits are a sliding window: a sorted set of their expiry times, pruned on each call;
 * - blockDuration 0 (the per-key limit): a hit over the limit is refused and not counted, and may
 *   retry once the oldest hit leaves the window;
 * - blockDuration > 0 (failed authentications): the hit past the limit blocks the tracker for that long.
 * The clock is Redis's (TIME), so replicas whose clocks differ still agree on the window.
 * KEYS: hits, block. ARGV: ttl ms, limit, blockDuration ms, a unique member for this hit.
 * Returns { totalHits, timeToExpire ms (until the oldest hit leaves the window: X-RateLimit-Reset), blocked 0|1, timeToBlockExpire ms }.
 */
const HIT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local block = tonumber(ARGV[3])
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return { limit + 1, ttl, 1, blockLeft }
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local hits = redis.call('ZCARD', KEYS[1])
if hits >= limit then
  if block > 0 then
    redis.call('SET', KEYS[2], '1', 'PX', block)
    redis.call('DEL', KEYS[1])
    return { hits + 1, ttl, 1, block }
  end
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return { hits + 1, ttl, 1, tonumber(oldest[2]) - now }
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ttl)
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { hits + 1, tonumber(first[2]) - now, 0, 0 }
`;

type HitResult = [number, number, number, number];

declare module 'ioredis' {
  interface RedisCommander<Context> {
    hubThrottleHit(hits: string, block: string, ttl: number, limit: number, blockDuration: number, member: string): Result<HitResult, Context>;
  }
}

/**
 * The throttler's storage in cluster mode: counters in Redis, so the per-key limit (HUB_RATE_LIMIT)
 * and the failed-authentication limit hold for the cluster, not per replica. While Redis cannot be
 * reached, each replica counts in its own memory (as embedded mode does) rather than refusing every
 * request or letting every request through; back to Redis as soon as it answers.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly fallback = new ThrottlerStorageService();
  private degradedSince: number | null = null;

  constructor(private readonly redis: ClusterRedis) {
    redis.commands.defineCommand('hubThrottleHit', { numberOfKeys: 2, lua: HIT_SCRIPT });
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    // One hash slot for both keys (Redis Cluster runs a script only on keys of one slot).
    const base = this.redis.key('throttle', `{${throttlerName}:${key}}`);
    let result: HitResult;
    try {
      result = await this.redis.commands.hubThrottleHit(`${base}:hits`, `${base}:block`, ttl, limit, blockDuration, `${Date.now()}:${randomBytes(6).toString('hex')}`);
    } catch (error) {
      this.noteDegraded(error as Error);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
    this.noteRecovered();
    const [totalHits, timeToExpireMs, blocked, timeToBlockExpireMs] = result;
    return {
      totalHits,
      timeToExpire: Math.ceil(timeToExpireMs / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(timeToBlockExpireMs / 1000),
    };
  }

  onApplicationShutdown(): void {
    this.fallback.onApplicationShutdown();
  }

  private noteDegraded(error: Error): void {
    if (this.degradedSince !== null) return;
    this.degradedSince = Date.now();
    this.logger.warn(`Redis did not answer (${error.message}): rate limits are counted by this replica alone until it does`);
  }

  private noteRecovered(): void {
    if (this.degradedSince === null) return;
    this.logger.log(`Redis answers again: rate limits are shared by the cluster again (after ${Math.round((Date.now() - this.degradedSince) / 1000)} s)`);
    this.degradedSince = null;
  }
}
