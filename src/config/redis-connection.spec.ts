import { MAX_RECONNECT_DELAY_MS, reconnectDelay, redisConnection, redisLabel } from './redis-connection';

describe('redisConnection', () => {
  it('reads host, port, credentials, database and TLS from HUB_REDIS_URL', () => {
    expect(redisConnection('redis://127.0.0.1:6379')).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, password: undefined, tls: undefined, maxRetriesPerRequest: null });
    expect(redisConnection('rediss://hub:p%40ss@redis.internal:6380/2')).toMatchObject({ host: 'redis.internal', port: 6380, username: 'hub', password: 'p@ss', db: 2, tls: {} });
    expect(redisConnection('redis://redis.internal')).toMatchObject({ port: 6379 });
  });

  it('labels the URL for logs without its password', () => {
    expect(redisLabel('redis://hub:secret@redis.internal:6380/2')).toBe('redis://redis.internal:6380/2');
  });
});

describe('reconnectDelay', () => {
  it('doubles from 100 ms to the cap, jittered within the upper half, and never gives up', () => {
    expect([1, 2, 3, 4].map((n) => reconnectDelay(n, () => 1))).toEqual([100, 200, 400, 800]);
    expect(reconnectDelay(1, () => 0)).toBe(50);
    expect(reconnectDelay(50, () => 1)).toBe(MAX_RECONNECT_DELAY_MS);
    expect(reconnectDelay(10_000, () => 0)).toBe(MAX_RECONNECT_DELAY_MS / 2);
    expect(redisConnection('redis://127.0.0.1:6379')).toMatchObject({ retryStrategy: reconnectDelay });
  });
});
