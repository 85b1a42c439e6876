import { ClusterRedis } from './cluster-redis';
import { KeyRevocations } from './key-revocations';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Until `check` holds (Redis connects in the background). */
async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('KeyRevocations (on a real Redis)', () => {
  const opened: ClusterRedis[] = [];
  const replica = (prefix: string, url = REDIS_URL) => {
    const redis = new ClusterRedis(url, prefix);
    opened.push(redis);
    const revocations = new KeyRevocations(redis);
    revocations.onModuleInit();
    const heard: (string | null)[] = [];
    revocations.onRevoked((id) => heard.push(id));
    return { revocations, heard };
  };
  afterAll(async () => {
    for (const redis of opened) await redis.onApplicationShutdown();
  });

  it('tells every replica on the prefix (itself included), and no other prefix', async () => {
    const prefix = `hub-test-revocations-${Date.now().toString(36)}`;
    const [a, b, other] = [replica(prefix), replica(prefix), replica(`${prefix}-other`)];
    await until(() => a.revocations.cacheTrusted && b.revocations.cacheTrusted && other.revocations.cacheTrusted);
    // Subscribing starts with a clean cache: revocations made meanwhile were not heard.
    expect(b.heard).toEqual([null]);
    await a.revocations.announce('key-1');
    await until(() => b.heard.length === 2);
    expect(b.heard).toEqual([null, 'key-1']);
    expect(a.heard).toEqual([null, 'key-1']);
    expect(other.heard).toEqual([null]);
  });

  it('does not trust a cache while it cannot hear revocations; embedded mode always does', async () => {
    const away = replica('hub-test-revocations-away', 'redis://127.0.0.1:1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(away.revocations.cacheTrusted).toBe(false);
    await expect(away.revocations.announce('key-2')).resolves.toBeUndefined(); // logged, not thrown: the revocation is stored
    expect(new KeyRevocations(null).cacheTrusted).toBe(true);
  });
});
