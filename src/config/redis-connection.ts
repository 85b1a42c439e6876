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
  };
}

/** The URL as it may be logged: without its password. */
export function redisLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || 6379}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
}
