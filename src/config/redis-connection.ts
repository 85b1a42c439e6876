import type { RedisOptions } from 'ioredis';

/**
 * ioredis options from HUB_REDIS_URL (`redis://[user:password@]host:port[/db]`, `rediss://` for
 * TLS), for every Redis client of the hub (BullMQ's, the shared rate limits, key revocations).
 * BullMQ workers need `maxRetriesPerRequest: null`: their blocking commands must wait out a Redis
 * restart instead of failing; clients on the request path override it to fail fast.
 */
export function redisConnection(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
  };
}

/** The longest wait between two reconnection attempts: a Redis back up is seen within this. */
export const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * ioredis's wait before reconnection attempt `times` (1, 2, …): doubling from 100 ms up to
 * MAX_RECONNECT_DELAY_MS, with jitter so that a cluster's replicas do not reconnect in step. Never
 * null: giving up would leave the worker with a closed connection, which BullMQ retries without
 * waiting.
 */
export function reconnectDelay(times: number, random = Math.random): number {
  const ceiling = Math.min(MAX_RECONNECT_DELAY_MS, 100 * 2 ** Math.max(0, times - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The URL as it may be logged: without its password. */
export function redisLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || 6379}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
}
