import { Client } from 'pg';
import type { Env } from '../src/config/hub-config';
import { eventually, HubProcess, JETBRAINS_CREDENTIALS, useFixture, walkIds } from './support/fixture';
import { freshSchema, postgresEnabled } from './support/postgres';
import { freshRedisPrefix, REDIS_URL, syncQueueAt } from './support/redis';

/**
 * Several hub processes on one PostgreSQL schema, as a cluster runs them: the database guard and
 * the leases decide which replica runs what, with each replica's embedded queue, or with BullMQ
 * jobs in Redis (under a key prefix of the test's own).
 */
const describeWithPostgres = postgresEnabled() ? describe : describe.skip;

const modes = [
  { name: 'embedded queues', redis: false },
  { name: 'BullMQ', redis: true },
];

describeWithPostgres.each(modes)('hub replicas on one PostgreSQL database ($name)', (mode) => {
  const fx = useFixture();

  /** A fresh schema (and Redis prefix), dropped after the hubs of the test are gone (teardowns run newest first). */
  async function database(): Promise<Env> {
    const schema = await freshSchema();
    fx.onClose(schema.drop);
    if (!mode.redis) return { HUB_DATABASE_URL: schema.url };
    const redis = freshRedisPrefix();
    fx.onClose(redis.drop);
    return { HUB_DATABASE_URL: schema.url, HUB_REDIS_URL: REDIS_URL, HUB_REDIS_PREFIX: redis.prefix };
  }

  it('runs one sync when every replica is asked at once, and never two of one account at a time', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '1k' });
    const env = { ...(await database()), JETBRAINS_BASE_URL: sim.baseUrl };
    const hubs = await Promise.all([fx.spawnHub(env), fx.spawnHub(env), fx.spawnHub(env)]);
    const id = await connectOn(hubs[0]!);
    const initial = await latestRun(hubs[1]!, id, 'succeeded');
    const requestsPerSync = licenseRequests(sim.requests);
    expect(requestsPerSync).toBeGreaterThan(0);

    // Slow enough that the asks overlap the run, as concurrent clients would.
    sim.faults.update({ latencyMs: 150 });
    sim.requests.length = 0;
    const asked = await Promise.all(hubs.map((hub) => hub.json(`/integrated-accounts/${id}/sync`, { method: 'POST' })));
    expect(new Set(asked.map((run) => run.id)).size).toBe(1);
    const run = await latestRun(hubs[2]!, id, 'succeeded');
    expect(run.id).toBe(asked[0].id);
    const runs = (await hubs[0]!.json(`/integrated-accounts/${id}/syncs`)).result;
    expect(runs.map((r: { id: string }) => r.id)).toEqual([run.id, initial.id]);
    // The upstream saw one sync's requests, not three.
    expect(licenseRequests(sim.requests)).toBe(requestsPerSync);

    // Asked again and again on every replica while it reads: still one run at a time, and one
    // more after it (the follow-up), not one per ask.
    sim.faults.update({ latencyMs: 1_500 });
    const next = await hubs[1]!.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    await eventually(async () => {
      const one = await hubs[1]!.json(`/integrated-accounts/${id}/syncs/${next.id}`);
      if (one.status !== 'running') throw new Error(one.status);
    });
    // Past the burst margin (asks within a second of the start count as the same ask).
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(hubs.map((hub) => hub.json(`/integrated-accounts/${id}/sync`, { method: 'POST' })));
      for (const answer of answers) expect(answer.id).toBe(next.id);
    }
    const all = await eventually(async () => {
      const list = (await hubs[0]!.json(`/integrated-accounts/${id}/syncs`)).result;
      if (list.length < 4 || list.some((r: { status: string }) => r.status !== 'succeeded')) throw new Error('not settled');
      return list;
    }, 60_000);
    expect(all).toHaveLength(4);
    expectNoOverlap(all);
  }, 120_000);

  it('syncs on schedule across the replicas, one run at a time, from one schedule', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const env: Env = { ...(await database()), JETBRAINS_BASE_URL: sim.baseUrl, HUB_SYNC_INTERVAL: '2s' };
    const hubs = await Promise.all([fx.spawnHub(env), fx.spawnHub(env), fx.spawnHub(env)]);
    const id = await connectOn(hubs[0]!);
    sim.faults.update({ latencyMs: 100 });
    const runs = await eventually(async () => {
      const list = (await hubs[0]!.json(`/integrated-accounts/${id}/syncs`)).result.filter((r: { status: string }) => r.status === 'succeeded');
      if (list.filter((r: { trigger: string }) => r.trigger === 'scheduled').length < 3) throw new Error('not enough scheduled runs yet');
      return list;
    }, 30_000, 200);
    expectNoOverlap(runs);
    if (mode.redis) {
      // Every replica upserted the same job scheduler: the cluster has one tick, not three.
      const queue = syncQueueAt(env.HUB_REDIS_PREFIX!);
      try {
        expect(await queue.getJobSchedulersCount()).toBe(1);
      } finally {
        await queue.close();
      }
    }
  }, 60_000);

  (mode.redis ? it : it.skip)('splits the work by HUB_ROLE: api replicas register runs, worker replicas run them', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const env: Env = { ...(await database()), JETBRAINS_BASE_URL: sim.baseUrl };
    const api = await fx.spawnHub({ ...env, HUB_ROLE: 'api', HUB_REPLICA_ID: 'api-1' });
    const worker = await fx.spawnHub({ ...env, HUB_ROLE: 'worker', HUB_REPLICA_ID: 'worker-1' });
    const id = await connectOn(api);
    expect((await latestRun(api, id, 'succeeded')).replica).toBe('worker-1');
    const manual = await api.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    const done = await latestRun(api, id, 'succeeded');
    expect(done).toMatchObject({ id: manual.id, replica: 'worker-1' });
    expect((await walkOver(api, id)).length).toBeGreaterThan(0);
    // The worker answers health checks, and sends API calls elsewhere.
    expect((await worker.call('/health/ready')).status).toBe(200);
    const refused = await worker.call('/integrated-accounts');
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { message: string }).message).toMatch(/HUB_ROLE=worker/);
    // Signing in is public, but an API call all the same: not on a worker.
    expect((await worker.call('/session', { method: 'POST', body: JSON.stringify({ api_key: 'x' }) })).status).toBe(404);
  }, 60_000);

  (mode.redis ? it : it.skip)('queues again a run whose job was lost with the Redis data', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const env: Env = { ...(await database()), JETBRAINS_BASE_URL: sim.baseUrl, HUB_SYNC_INTERVAL: '2s' };
    const hub = await fx.spawnHub(env);
    const id = await connectOn(hub);
    await latestRun(hub, id, 'succeeded');
    // A run registered minutes ago whose job is gone (as after a Redis flush): it blocks the account.
    const db = new Client({ connectionString: env.HUB_DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        `insert into sync_runs (id, account_id, trigger, status, queued_at, stats) values ('0stranded', $1, 'manual', 'queued', $2, '{}')`,
        [id, new Date(Date.now() - 10 * 60_000).toISOString()],
      );
    } finally {
      await db.end();
    }
    expect((await hub.json(`/integrated-accounts/${id}/sync`, { method: 'POST' })).id).toBe('0stranded');
    const run = await eventually(async () => {
      const one = await hub.json(`/integrated-accounts/${id}/syncs/0stranded`);
      if (one.status !== 'succeeded') throw new Error(one.status);
      return one;
    }, 20_000, 200);
    expect(run.stats.users).toBeGreaterThan(0);
  }, 60_000);

  it('leaves a sync of another replica alone when a replica boots, and that sync completes', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '10k' });
    const env = { ...(await database()), JETBRAINS_BASE_URL: sim.baseUrl };
    const a = await fx.spawnHub(env);
    const id = await connectOn(a);
    await latestRun(a, id, 'succeeded');
    const before = await walkOver(a, id);

    sim.faults.update({ latencyMs: 600 });
    const run = await a.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    await eventually(async () => {
      const one = await a.json(`/integrated-accounts/${id}/syncs/${run.id}`);
      if (one.status !== 'running' || one.stats.progress.pages_done < 1) throw new Error('not reading yet');
    });
    const b = await fx.spawnHub(env);
    // B is up while A still reads: A's run is untouched.
    expect((await b.json(`/integrated-accounts/${id}/syncs/${run.id}`)).status).toBe('running');
    sim.faults.update({ latencyMs: 0 });
    const done = await latestRun(b, id, 'succeeded');
    expect(done.id).toBe(run.id);
    expect(done.stats.users).toBe(before.length);
    expect(await walkOver(b, id)).toEqual(before);
  }, 120_000);

  it('reclaims the run of a killed replica once its lease expires, and keeps serving the previous snapshot', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '10k' });
    const env = { ...(await database()), JETBRAINS_BASE_URL: sim.baseUrl, HUB_SYNC_LEASE: '3s' };
    // Explicit replica ids: neither can see that the other's process is gone, only that its lease ran out.
    const a = await fx.spawnHub({ ...env, HUB_REPLICA_ID: 'replica-a' });
    const b = await fx.spawnHub({ ...env, HUB_REPLICA_ID: 'replica-b' });
    const id = await connectOn(a);
    await latestRun(a, id, 'succeeded');
    const before = await walkOver(b, id);

    sim.faults.update({ latencyMs: 400 });
    const run = await a.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    // Whichever replica's worker took it (with BullMQ, either may): the run names it, and both show
    // its progress, the other from what the runner writes to the run's row.
    const [runner, survivor] = await eventually(async () => {
      const one = await a.json(`/integrated-accounts/${id}/syncs/${run.id}`);
      if (one.status !== 'running' || !(one.stats.progress?.pages_done >= 1)) throw new Error('not reading yet');
      return one.replica === 'replica-a' ? [a, b] : [b, a];
    });
    await eventually(async () => {
      const seen = await survivor.json(`/integrated-accounts/${id}/syncs/${run.id}`);
      if (!(seen.stats.progress?.pages_done >= 1)) throw new Error('the other replica shows no progress yet');
    });
    // Held by the runner for longer than a lease: the other leaves it alone while it renews.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(await survivor.json(`/integrated-accounts/${id}/syncs/${run.id}`)).toMatchObject({ status: 'running', error: null });
    await runner.kill('SIGKILL');
    const killedAt = Date.now();

    const failed = await eventually(async () => {
      const one = await survivor.json(`/integrated-accounts/${id}/syncs/${run.id}`);
      if (one.status !== 'failed') throw new Error(one.status);
      return one;
    }, 15_000, 100);
    // Lease (3 s) plus one heartbeat of the survivor (1 s), with room for a loaded machine.
    expect(Date.now() - killedAt).toBeLessThan(6_500);
    expect(failed.error.code).toBe('HUB_RESTARTED');
    expect(await walkOver(survivor, id)).toEqual(before);
    // The account syncs again, on the surviving replica.
    sim.faults.update({ latencyMs: 0 });
    const again = await survivor.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    expect(again.id).not.toBe(run.id);
    expect((await latestRun(survivor, id, 'succeeded')).id).toBe(again.id);
  }, 120_000);
});

async function connectOn(hub: HubProcess): Promise<string> {
  const res = await hub.call('/integrated-accounts', { method: 'POST', body: JSON.stringify({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
async function latestRun(hub: HubProcess, id: string, status: string): Promise<any> {
  return eventually(async () => {
    const latest = (await hub.json(`/integrated-accounts/${id}/syncs`)).result[0];
    if (latest?.status !== status) throw new Error(`latest run is ${latest?.status}`);
    return latest;
  }, 60_000);
}

function walkOver(hub: HubProcess, id: string): Promise<string[]> {
  return walkIds((query) => hub.json(`/unified/user-directory/users?integrated_account_id=${id}&limit=200${query}`));
}

function licenseRequests(requests: { url: string }[]): number {
  return requests.filter((r) => r.url.includes('/customer/licenses')).length;
}

/** Runs of one account, newest first: each started after the one before it finished. */
function expectNoOverlap(runs: { started_at: string; finished_at: string }[]): void {
  const oldestFirst = [...runs].reverse();
  for (let i = 1; i < oldestFirst.length; i++) {
    expect(Date.parse(oldestFirst[i]!.started_at)).toBeGreaterThanOrEqual(Date.parse(oldestFirst[i - 1]!.finished_at));
  }
}
