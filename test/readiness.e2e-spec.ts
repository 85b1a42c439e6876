import { eventually, useFixture } from './support/fixture';
import { freshRedisPrefix } from './support/redis';
import { redisRelay } from './support/redis-relay';

describe('readiness', () => {
  const fx = useFixture();

  it('answers 200 without the API key when the database answers', async () => {
    const hub = await fx.hub();
    const res = await hub.raw().get('/health/ready').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect(res.body.info.redis).toBeUndefined();
  });

  it('in cluster mode checks Redis too, and answers 503 NOT_READY while it is away', async () => {
    const redis = freshRedisPrefix();
    fx.onClose(redis.drop);
    const relay = await redisRelay();
    fx.onClose(() => relay.close());
    // A hub process of its own: its BullMQ worker, cut off from Redis, must not share the test's event loop.
    const hub = await fx.spawnHub({ HUB_REDIS_URL: `redis://127.0.0.1:${relay.port}`, HUB_REDIS_PREFIX: redis.prefix });
    try {
      const up = await hub.call('/health/ready');
      expect(up.status).toBe(200);
      expect(((await up.json()) as { info: unknown }).info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });

      await relay.cut();
      const down = await hub.call('/health/ready');
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        statusCode: 503,
        message: 'Not ready: redis did not answer',
        details: { code: 'NOT_READY', checks: { database: { status: 'up' }, redis: { status: 'down' } } },
      });

      await relay.restore();
      // Ready again once ioredis has reconnected (its backoff is at most 5 s); 503 until then.
      await eventually(async () => expect((await hub.call('/health/ready')).status).toBe(200), 10_000, 200);
    } finally {
      await hub.kill('SIGKILL');
    }
  }, 30_000);
});
