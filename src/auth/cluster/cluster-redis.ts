import { Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { redisErrorLog } from '../../common/redis-error-log';
import { redisConnection } from '../../config/redis-connection';

/** A command on the request path waits at most this long for Redis before the caller falls back. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * The Redis connections authentication shares across replicas (HUB_REDIS_URL): one for commands
 * (rate-limit counters, publishing revocations), one subscribed to revocations (a subscribed
 * connection can run nothing else). Commands fail fast instead of queueing while Redis is away, so
 * a request never waits on a lost Redis (callers fall back; see RedisThrottlerStorage).
 */
export class ClusterRedis implements OnApplicationShutdown {
  readonly commands: Redis;
  readonly subscriber: Redis;

  constructor(
    url: string,
    /** HUB_REDIS_PREFIX: every key and channel starts with it, so hubs can share a Redis. */
    readonly prefix: string,
  ) {
    const logger = new Logger('ClusterRedis');
    const options = { ...redisConnection(url), maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS, connectionName: `${prefix}:auth` };
    this.commands = new Redis(options);
    this.subscriber = new Redis({ ...options, commandTimeout: undefined, autoResubscribe: false });
    this.commands.on('error', redisErrorLog(logger, 'Redis (rate limits)'));
    this.subscriber.on('error', redisErrorLog(logger, 'Redis (key revocations)'));
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  /** Closes both connections, and waits (briefly) until their sockets are gone. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.commands, this.subscriber].map((client) => close(client)));
  }
}

/** The ClusterRedis of a replica with HUB_REDIS_URL; null in embedded mode. */
export const CLUSTER_REDIS = Symbol('ClusterRedis');

function close(client: Redis): Promise<void> {
  if (client.status === 'end') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    client.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    client.disconnect();
  });
}
