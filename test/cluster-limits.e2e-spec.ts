import type { Env } from '../src/config/hub-config';
import { HubProcess, TEST_API_KEY, useFixture } from './support/fixture';
import { freshSchema, postgresEnabled } from './support/postgres';
import { freshRedisPrefix, REDIS_URL } from './support/redis';

/**
 * Limits and revocations across two real hub replicas on one PostgreSQL schema and one Redis
 * (under a prefix of the test's own): the per-key rate limit and the failed-authentication limit
 * are counted once for the cluster, and a key revoked on one replica is refused by the other at
 * its next request.
 */
const describeWithPostgres = postgresEnabled() ? describe : describe.skip;

/** A request to `hub` with `key` (null: no Authorization header). */
function call(hub: HubProcess, path: string, key: string | null, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = key === null ? {} : { Authorization: `Bearer ${key}` };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`http://127.0.0.1:${hub.port}${path}`, { ...init, headers });
}

describeWithPostgres('limits and revocations in a cluster (two replicas, PostgreSQL + Redis)', () => {
  const fx = useFixture();

  async function cluster(extra: Env = {}): Promise<[HubProcess, HubProcess]> {
    const schema = await freshSchema();
    fx.onClose(schema.drop);
    const redis = freshRedisPrefix();
    fx.onClose(redis.drop);
    const env: Env = { HUB_DATABASE_URL: schema.url, HUB_REDIS_URL: REDIS_URL, HUB_REDIS_PREFIX: redis.prefix, ...extra };
    // One after the other: both migrate the same schema.
    const a = await fx.spawnHub({ ...env, HUB_REPLICA_ID: 'replica-a' });
    const b = await fx.spawnHub({ ...env, HUB_REPLICA_ID: 'replica-b' });
    return [a, b];
  }

  async function issueKey(hub: HubProcess, body: object = { name: 'limited', scope: 'read' }): Promise<{ id: string; key: string }> {
    const res = await hub.call('/api-keys', { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; key: string };
  }

  it('counts HUB_RATE_LIMIT once for the cluster: requests alternating between replicas get 429 past the limit in total', async () => {
    const LIMIT = 6;
    const [a, b] = await cluster({ HUB_RATE_LIMIT: String(LIMIT) });
    const { key } = await issueKey(a);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await call(i % 2 === 0 ? a : b, '/integrations', key)).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    // Each replica served only 3: counted apart, both would still let this key in.
    for (const hub of [a, b]) {
      const refused = await call(hub, '/integrations', key);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = (await refused.json()) as { details: { code: string }; message: string };
      expect(body.details.code).toBe('RATE_LIMITED');
      expect(body.message).toContain(`${LIMIT} requests in the last minute`);
    }
    // Per key: another key (the root key here) is not held back by this one's count.
    expect((await call(b, '/integrations', TEST_API_KEY)).status).toBe(200);
  }, 60_000);

  it('counts failed authentications per client address once for the cluster, and still lets valid keys in', async () => {
    const [a, b] = await cluster();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call(i % 2 === 0 ? a : b, '/integrations', `hub_wrong-key-${i}`)).status);
    expect(statuses).toEqual(Array(30).fill(401));
    // The 31st wrong key, on either replica, is locked out, though each replica saw only 15.
    for (const hub of [b, a]) {
      const locked = await call(hub, '/integrations', 'hub_wrong-key-again');
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await locked.json()) as { details: { code: string } }).details.code).toBe('TOO_MANY_AUTH_FAILURES');
    }
    for (const hub of [a, b]) expect((await call(hub, '/integrations', TEST_API_KEY)).status).toBe(200);
  }, 60_000);

  it('refuses a key revoked on replica A at the next request on replica B, even right after B served it', async () => {
    const [a, b] = await cluster();
    for (let round = 0; round < 3; round++) {
      const { id, key } = await issueKey(a, { name: `revoked-${round}`, scope: 'admin', tenant_id: 'acme' });
      // B has just looked the key up (and keeps it for a few seconds).
      expect((await call(b, '/integrated-accounts', key)).status).toBe(200);
      expect((await call(b, '/integrated-accounts', key)).status).toBe(200);
      const revoked = await call(a, `/api-keys/${id}`, TEST_API_KEY, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      const refused = await call(b, '/integrated-accounts', key);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { details: { code: string } }).details.code).toBe('UNAUTHORIZED');
      expect((await call(a, '/integrated-accounts', key)).status).toBe(401);
    }
  }, 60_000);
});
