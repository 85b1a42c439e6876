import { ThrottlerStorageService } from '@nestjs/throttler';
import { ClusterRedis } from './cluster-redis';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/** Against the machine's Redis (TEST_REDIS_URL), each test under a prefix of its own. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisThrottlerStorage (on a real Redis)', () => {
  const opened: { redis: ClusterRedis; storage: RedisThrottlerStorage }[] = [];
  const replica = (prefix: string, url = REDIS_URL) => {
    const redis = new ClusterRedis(url, prefix);
    const storage = new RedisThrottlerStorage(redis);
    opened.push({ redis, storage });
    return storage;
  };
  let prefix: string;
  beforeEach(() => {
    prefix = `hub-test-throttle-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
  });
  afterAll(async () => {
    for (const { redis, storage } of opened) {
      storage.onApplicationShutdown();
      await redis.onApplicationShutdown();
    }
  });

  it('refuses hits over the limit without counting them, and lets one in once the oldest leaves the window', async () => {
    const storage = replica(prefix);
    const hit = () => storage.increment('key-1', 1_000, 3, 0, 'default');
    const first = await hit();
    expect(first).toEqual({ totalHits: 1, timeToExpire: 1, isBlocked: false, timeToBlockExpire: 0 });
    await hit();
    await hit();
    const over = await hit();
    expect(over).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 1 });
    expect((await hit()).isBlocked).toBe(true);
    await sleep(1_050);
    expect((await hit()).isBlocked).toBe(false);
  });

  it('says when the oldest hit leaves the window (X-RateLimit-Reset), not a fresh window each hit', async () => {
    const storage = replica(prefix);
    expect((await storage.increment('reset', 3_000, 10, 0, 'default')).timeToExpire).toBe(3);
    await sleep(1_100);
    expect((await storage.increment('reset', 3_000, 10, 0, 'default')).timeToExpire).toBe(2);
  });

  it('blocks for blockDuration once over the limit (the failed-authentication lockout), then counts afresh', async () => {
    const storage = replica(prefix);
    const hit = () => storage.increment('198.51.100.7', 300, 2, 1_200, 'auth-failures');
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 2 });
    await sleep(500); // past the window, still within the block
    expect((await hit()).isBlocked).toBe(true);
    await sleep(800);
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('agrees with the in-process storage hit for hit, in both modes', async () => {
    for (const blockDuration of [0, 60_000]) {
      const redis = replica(`${prefix}-${blockDuration}`);
      const memory = new ThrottlerStorageService();
      const inRedis: boolean[] = [];
      const inMemory: boolean[] = [];
      for (let i = 0; i < 8; i++) {
        inRedis.push((await redis.increment('k', 60_000, 5, blockDuration, 'default')).isBlocked);
        inMemory.push((await memory.increment('k', 60_000, 5, blockDuration, 'default')).isBlocked);
      }
      memory.onApplicationShutdown();
      expect(inRedis).toEqual(inMemory);
      expect(inRedis).toEqual([false, false, false, false, false, true, true, true]);
    }
  });

  it('counts once for every replica on the same Redis and prefix, apart for another prefix', async () => {
    const [a, b, other] = [replica(prefix), replica(prefix), replica(`${prefix}-other`)];
    const results: boolean[] = [];
    for (let i = 0; i < 4; i++) results.push((await (i % 2 === 0 ? a : b).increment('shared', 60_000, 3, 0, 'default')).isBlocked);
    expect(results).toEqual([false, false, false, true]);
    expect((await other.increment('shared', 60_000, 3, 0, 'default')).isBlocked).toBe(false);
  });

  it('counts in memory while Redis cannot be reached, instead of failing or letting everything through', async () => {
    const storage = replica(prefix, 'redis://127.0.0.1:1');
    const results: boolean[] = [];
    for (let i = 0; i < 3; i++) results.push((await storage.increment('k', 60_000, 2, 0, 'default')).isBlocked);
    expect(results).toEqual([false, false, true]);
  });
});
