import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Env } from '../src/config/hub-config';
import { eventually, JETBRAINS_CREDENTIALS, MainProcess, useFixture } from './support/fixture';
import { freshSchema, POSTGRES_URL, postgresEnabled } from './support/postgres';
import { freshRedisPrefix, REDIS_URL } from './support/redis';

/**
 * SIGTERM on the real entry point (src/main.ts): the runs going finish within HUB_SHUTDOWN_TIMEOUT,
 * or are stopped, recorded failed with HUB_SHUTDOWN (their rows deleted) and run again, and the
 * process exits 0 with its connections closed. Never a run left `running`.
 */
const SNAPSHOT_TABLES = ['directory_records', 'remote_parts', 'seats', 'people'];

async function connect(hub: MainProcess): Promise<string> {
  const res = await hub.call('/integrated-accounts', { method: 'POST', body: JSON.stringify({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS, allow_duplicate: true }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
async function runOf(hub: MainProcess, id: string, runId: string, status: string, timeoutMs = 60_000): Promise<any> {
  return eventually(async () => {
    const run = await hub.json(`/integrated-accounts/${id}/syncs/${runId}`);
    if (run.status !== status) throw new Error(`run is ${run.status}`);
    return run;
  }, timeoutMs, 100);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
async function latest(hub: MainProcess, id: string): Promise<any[]> {
  return (await hub.json(`/integrated-accounts/${id}/syncs`)).result;
}

/** A slow sync going (with `pagesRead`: its first page read) when this resolves. */
async function slowSyncGoing(hub: MainProcess, id: string, pagesRead = true): Promise<string> {
  const run = await hub.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
  await eventually(async () => {
    const one = await hub.json(`/integrated-accounts/${id}/syncs/${run.id}`);
    if (one.status !== 'running' || (pagesRead && !(one.stats.progress?.pages_done >= 1))) throw new Error(one.status);
  }, 30_000, 50);
  return run.id;
}

describe('SIGTERM, embedded queue (SQLite)', () => {
  const fx = useFixture();

  it('lets a run going finish within HUB_SHUTDOWN_TIMEOUT, then exits 0', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '1k' });
    const hub = await fx.spawnMain({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_SHUTDOWN_TIMEOUT: '30s' });
    const id = await connect(hub);
    await eventually(async () => expect((await latest(hub, id))[0]?.status).toBe('succeeded'), 60_000);
    sim.faults.update({ latencyMs: 1_000 });
    const runId = await slowSyncGoing(hub, id, false);
    const signalled = Date.now();
    const exit = await hub.kill('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalled).toBeLessThan(30_000);
    expect(hub.stdout.join('\n')).toMatch(/drained: 1 run\(s\) finished, 0 stopped/);

    sim.faults.update({ latencyMs: 0 });
    const again = await fx.spawnMain({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_DATA_DIR: hub.dataDir });
    const runs = await latest(again, id);
    expect(runs[0]).toMatchObject({ id: runId, status: 'succeeded' });
    expect(runs.filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);
  }, 120_000);

  it('stops a run past the bound: failed with HUB_SHUTDOWN, its rows gone, run again at the next boot', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '1k' });
    const hub = await fx.spawnMain({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_SHUTDOWN_TIMEOUT: '1s' });
    const id = await connect(hub);
    await eventually(async () => expect((await latest(hub, id))[0]?.status).toBe('succeeded'), 60_000);
    const users = (await hub.json(`/unified/user-directory/users?integrated_account_id=${id}&limit=5`)).result.map((u: { id: string }) => u.id);
    sim.faults.update({ latencyMs: 5_000 });
    const runId = await slowSyncGoing(hub, id);
    // While it drains, the hub still answers reads, and refuses to start a sync it would lose.
    const signalled = Date.now();
    hub.child.kill('SIGTERM');
    await eventually(async () => expect(hub.stdout.join('\n')).toMatch(/SIGTERM: draining/), 10_000, 20);
    const [refused, readiness] = await Promise.all([
      hub.call(`/integrated-accounts/${id}/sync`, { method: 'POST' }).catch(() => null),
      hub.call('/health/ready').catch(() => null),
    ]);
    // The drain lasts about a second: answered within it, they say why (a slow machine may find the server closed).
    if (refused) expect({ status: refused.status, code: ((await refused.json()) as { details: { code: string } }).details.code }).toEqual({ status: 503, code: 'SHUTTING_DOWN' });
    if (readiness) expect({ status: readiness.status, message: ((await readiness.json()) as { message: string }).message }).toEqual({ status: 503, message: expect.stringMatching(/shutting down/) });
    expect(refused ?? readiness).not.toBeNull();
    const exit = await hub.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    // The bound (1 s), the stopped run recording its end, the app closing.
    expect(exit.at - signalled).toBeLessThan(9_000);
    expect(hub.stdout.join('\n')).toMatch(/drained: 0 run\(s\) finished, 1 stopped/);

    // From the database, with no hub running: the run ended, and nothing of it is left.
    const db = new Database(join(hub.dataDir, 'hub.sqlite'), { readonly: true });
    try {
      const row = db.prepare('select status, error_code, finished_at from sync_runs where id = ?').get(runId) as { status: string; error_code: string; finished_at: string };
      expect(row).toMatchObject({ status: 'failed', error_code: 'HUB_SHUTDOWN' });
      expect(row.finished_at).not.toBeNull();
      for (const table of SNAPSHOT_TABLES) {
        expect(db.prepare(`select count(*) as n from ${table} where snapshot_id = ?`).get(runId)).toEqual({ n: 0 });
      }
      expect(db.prepare(`select count(*) as n from sync_runs where status in ('queued', 'running')`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }

    // The next boot runs it again; the previous snapshot was served all along.
    sim.faults.update({ latencyMs: 0 });
    const again = await fx.spawnMain({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_DATA_DIR: hub.dataDir });
    expect((await again.json(`/unified/user-directory/users?integrated_account_id=${id}&limit=5`)).result.map((u: { id: string }) => u.id)).toEqual(users);
    const runs = await eventually(async () => {
      const list = await latest(again, id);
      if (list[0]?.status !== 'succeeded') throw new Error(`latest is ${list[0]?.status}`);
      return list;
    }, 60_000);
    expect(runs[0]).toMatchObject({ trigger: 'manual' });
    expect(runs[1]).toMatchObject({ id: runId, status: 'failed', error: { code: 'HUB_SHUTDOWN' } });
    expect(runs[0].id).not.toBe(runId);
  }, 120_000);

  it('ends a run still waiting in the embedded queue (never started: nothing to delete) and runs it at the next boot', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const env = { JETBRAINS_BASE_URL: sim.baseUrl, HUB_SHUTDOWN_TIMEOUT: '1s', HUB_SYNC_CONCURRENCY: '1' };
    const hub = await fx.spawnMain(env);
    const first = await connect(hub);
    const second = await connect(hub);
    for (const id of [first, second]) await eventually(async () => expect((await latest(hub, id))[0]?.status).toBe('succeeded'), 60_000);
    sim.faults.update({ latencyMs: 5_000 });
    const going = await slowSyncGoing(hub, first, false);
    const waiting = (await hub.json(`/integrated-accounts/${second}/sync`, { method: 'POST' })).id;
    expect((await hub.json(`/integrated-accounts/${second}/syncs/${waiting}`)).status).toBe('queued');
    const exit = await hub.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(hub.stdout.join('\n')).toMatch(/drained: 0 run\(s\) finished, 1 stopped and handed back, 1 queued here ended/);

    sim.faults.update({ latencyMs: 0 });
    const again = await fx.spawnMain({ ...env, HUB_DATA_DIR: hub.dataDir });
    for (const [id, runId] of [[first, going], [second, waiting]] as const) {
      const runs = await eventually(async () => {
        const list = await latest(again, id);
        if (list[0]?.status !== 'succeeded' || list[0].id === runId) throw new Error(`latest is ${list[0]?.status}`);
        return list;
      }, 60_000);
      expect(runs[1]).toMatchObject({ id: runId, status: 'failed', error: { code: 'HUB_SHUTDOWN' } });
    }
  }, 120_000);
});

const describeCluster = postgresEnabled() ? describe : describe.skip;

describeCluster('SIGTERM, BullMQ (PostgreSQL and Redis)', () => {
  const fx = useFixture();

  async function cluster(): Promise<{ env: Env; schema: string }> {
    const schema = await freshSchema();
    fx.onClose(schema.drop);
    const redis = freshRedisPrefix();
    fx.onClose(redis.drop);
    return {
      env: { HUB_DATABASE_URL: schema.url, HUB_REDIS_URL: REDIS_URL, HUB_REDIS_PREFIX: redis.prefix, HUB_SYNC_LEASE: '3s' },
      schema: new URL(schema.url).searchParams.get('options')!.replace('-c search_path=', ''),
    };
  }

  it('hands a run cut by the bound back to another replica, closes its connections and exits 0', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '1k' });
    const { env, schema } = await cluster();
    const replicaEnv = { ...env, JETBRAINS_BASE_URL: sim.baseUrl, HUB_SHUTDOWN_TIMEOUT: '1s' };
    const [first, second] = await Promise.all([fx.spawnMain({ ...replicaEnv, HUB_REPLICA_ID: 'replica-1' }), fx.spawnMain({ ...replicaEnv, HUB_REPLICA_ID: 'replica-2' })]);
    const id = await connect(first!);
    await eventually(async () => expect((await latest(first!, id))[0]?.status).toBe('succeeded'), 60_000);
    sim.faults.update({ latencyMs: 5_000 });
    const run = await first!.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    const runId: string = run.id;
    // The replica whose worker took the job (the run names it; every replica shows its progress) is shut down.
    const [a, b] = await eventually(async () => {
      const one = await first!.json(`/integrated-accounts/${id}/syncs/${runId}`);
      if (one.status !== 'running' || !(one.stats.progress?.pages_done >= 1)) throw new Error('not reading yet');
      return one.replica === 'replica-1' ? [first!, second!] : [second!, first!];
    }, 30_000, 50);

    const signalled = Date.now();
    const exit = await a.kill('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalled).toBeLessThan(9_000);
    expect(a.stdout.join('\n')).toMatch(/drained: 0 run\(s\) finished, 1 stopped/);
    // Logged once app.close() returned: HTTP server, BullMQ queue and worker, database pool closed.
    expect(a.stdout.join('\n')).toMatch(/stopped in \d+ ms/);

    const cut = await runOf(b, id, runId, 'failed', 5_000);
    expect(cut.error.code).toBe('HUB_SHUTDOWN');
    const pg = new Client({ connectionString: POSTGRES_URL });
    await pg.connect();
    try {
      for (const table of SNAPSHOT_TABLES) {
        expect((await pg.query(`select count(*)::int as n from ${schema}.${table} where snapshot_id = $1`, [runId])).rows[0]).toEqual({ n: 0 });
      }
    } finally {
      await pg.end();
    }

    // Run again by B, from the job A handed back.
    sim.faults.update({ latencyMs: 0 });
    const runs = await eventually(async () => {
      const list = await latest(b, id);
      if (list[0]?.status !== 'succeeded' || list[0].id === runId) throw new Error(`latest is ${list[0]?.status}`);
      return list;
    }, 60_000);
    expect(runs[1]).toMatchObject({ id: runId, status: 'failed' });
    expect(runs.filter((r: { status: string }) => r.status === 'running' || r.status === 'queued')).toEqual([]);
  }, 120_000);

  it('lets a run going finish within the bound (BullMQ does not hand it to anyone meanwhile), then exits 0', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '1k' });
    const { env } = await cluster();
    const replicaEnv = { ...env, JETBRAINS_BASE_URL: sim.baseUrl, HUB_SHUTDOWN_TIMEOUT: '30s' };
    const [first, second] = await Promise.all([fx.spawnMain({ ...replicaEnv, HUB_REPLICA_ID: 'replica-1' }), fx.spawnMain({ ...replicaEnv, HUB_REPLICA_ID: 'replica-2' })]);
    const id = await connect(first!);
    await eventually(async () => expect((await latest(first!, id))[0]?.status).toBe('succeeded'), 60_000);
    sim.faults.update({ latencyMs: 1_000 });
    const runId: string = (await first!.json(`/integrated-accounts/${id}/sync`, { method: 'POST' })).id;
    const [a, b] = await eventually(async () => {
      const one = await first!.json(`/integrated-accounts/${id}/syncs/${runId}`);
      if (one.status !== 'running' || one.replica === null) throw new Error('not running yet');
      return one.replica === 'replica-1' ? [first!, second!] : [second!, first!];
    }, 30_000, 50);
    const exit = await a.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(a.stdout.join('\n')).toMatch(/drained: 1 run\(s\) finished, 0 stopped/);
    const done = await runOf(b, id, runId, 'succeeded', 5_000);
    expect(done.error).toBeNull();
    const runs = await latest(b, id);
    expect(runs.filter((r: { status: string }) => r.status !== 'succeeded')).toEqual([]);
  }, 120_000);
});
