import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually, JETBRAINS_CREDENTIALS, tempDataDir, TEST_API_KEY, TEST_ENCRYPTION_KEY, useFixture } from './support/fixture';
import { freshSchema, postgresEnabled } from './support/postgres';
import { freshRedisPrefix, REDIS_URL } from './support/redis';

const describeWithPostgres = postgresEnabled() ? describe : describe.skip;

/** `npm run cluster` itself (scripts/cluster.ts, run from the sources), briefly, with 2 replicas. */
describeWithPostgres('npm run cluster', () => {
  const fx = useFixture();

  it('starts replicas behind one round-robin URL, serves the API through it, and stops them all on Ctrl-C', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const schema = await freshSchema();
    fx.onClose(schema.drop);
    const redis = freshRedisPrefix();
    fx.onClose(redis.drop);
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '../scripts/cluster.ts'), '--replicas', '2', '--port', '0', '--ts', '--data-dir', tempDataDir()], {
      cwd: join(__dirname, '..'),
      env: {
        ...process.env,
        HUB_DATABASE_URL: schema.url,
        HUB_REDIS_URL: REDIS_URL,
        HUB_REDIS_PREFIX: redis.prefix,
        HUB_API_KEY: TEST_API_KEY,
        HUB_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        HUB_RATE_LIMIT: '0',
        JETBRAINS_BASE_URL: sim.baseUrl,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal runs it: Ctrl-C goes to the whole group.
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    fx.onClose(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });

    const url = await eventually(async () => {
      const match = /round-robin proxy on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match) throw new Error(`not ready:\n${output}`);
      return match[1]!;
    }, 120_000, 200);
    expect(output).toContain('[cluster] API key: the one in HUB_API_KEY');
    expect(output).not.toContain(TEST_API_KEY);
    const pids = [...output.matchAll(/replica-\d \(all\) :\d+ pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);

    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${TEST_API_KEY}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}) } });
    // Round robin: consecutive requests reach both replicas (each names itself in its metrics).
    const replicas = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const res = await call('/metrics');
      expect(res.status).toBe(200);
      replicas.add(/replica="(replica-\d)"/.exec(await res.text())![1]!);
    }
    expect([...replicas].sort()).toEqual(['replica-1', 'replica-2']);

    // The API through the proxy: connect, first sync, read.
    const created = await call('/integrated-accounts', { method: 'POST', body: JSON.stringify({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const users = await eventually(async () => {
      const res = await call(`/unified/user-directory/users?integrated_account_id=${id}`);
      if (res.status !== 200) throw new Error(String(res.status));
      return ((await res.json()) as { result: unknown[] }).result;
    }, 60_000, 200);
    expect(users.length).toBeGreaterThan(0);
    expect((await fetch(`${url}/integrated-accounts`)).status).toBe(401);

    // Ctrl-C in a terminal: SIGINT to the script's process group. Each replica gets one signal (from
    // the script; they run in groups of their own), drains and exits 0.
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('[cluster] stopped');
    expect(output).toMatch(/replica-1 exited \(0\)/);
    expect(output).toMatch(/replica-2 exited \(0\)/);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  }, 180_000);
});
