import { redisConnection, redisLabel } from './redis-connection';

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
