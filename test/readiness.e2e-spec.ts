import { createConnection, createServer, Server, Socket } from 'node:net';
import { useFixture } from './support/fixture';
import { freshRedisPrefix, REDIS_URL } from './support/redis';

/** A TCP relay to the test Redis that can be cut and restored, to play "Redis went away". */
async function redisRelay(port = 0): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let server: Server;
  let boundPort = port;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  };
  await listen();
  return { port: boundPort, cut, restore: listen, close: cut };
}

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
      expect((await hub.call('/health/ready')).status).toBe(200);
    } finally {
      await hub.kill('SIGKILL');
    }
  }, 30_000);
});
