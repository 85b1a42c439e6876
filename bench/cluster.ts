import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Queue } from 'bullmq';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { json } from './lib/http';
import { Child, startChild } from './lib/processes';

/**
 * The cluster figure of `npm run bench` (BENCH_ONLY=cluster): ACCOUNTS accounts of 10k licenses
 * each, registered through an `api` replica while no worker runs (their jobs wait in Redis), then
 * synced by one worker process, or by three worker replicas at once; each with HUB_SYNC_CONCURRENCY
 * (default 4) runs at a time. The time is from the first run's start to the last run's end, read
 * from the runs themselves (worker boot excluded). Needs this machine's PostgreSQL and Redis
 * (BENCH_POSTGRES_URL, BENCH_REDIS_URL).
 */
const ACCOUNTS = Number(process.env.BENCH_CLUSTER_ACCOUNTS ?? 20);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const API_KEY = 'bench-cluster-api-key-0123456789abcdef';
const AUTH = { authorization: `Bearer ${API_KEY}` };

export interface ClusterRun {
  workers: number;
  accounts: number;
  wall_ms: number;
  /** The runs' own durations: median and longest. */
  run_p50_ms: number;
  run_max_ms: number;
  /** CPU the worker processes used while they synced (all of them), in cores on average over wall_ms. */
  workers_cpu_cores: number;
  /** CPU the simulator used meanwhile, in cores (it serves every worker's pages). */
  simulator_cpu_cores: number;
  /** The machine's load average (1 min) at the end: what else ran. */
  load_1m: number;
}

/** CPU time (user + system) of a process so far, in ms (Linux clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface RunView {
  status: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: unknown;
}

/** One measurement: a fresh schema and Redis prefix, an api replica, ACCOUNTS accounts, then `workers` worker processes. */
export async function clusterRun(simBaseUrl: string, simPid: number, workers: number): Promise<ClusterRun> {
  const schema = `hub_bench_${Date.now().toString(36)}`;
  const prefix = `hub-bench-${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const env = {
    HUB_DATABASE_URL: url.toString(),
    HUB_REDIS_URL: REDIS_URL,
    HUB_REDIS_PREFIX: prefix,
    HUB_API_KEY: API_KEY,
    HUB_ENCRYPTION_KEY: Buffer.alloc(32, 6).toString('base64'),
    JETBRAINS_BASE_URL: simBaseUrl,
    HUB_RATE_LIMIT: '0',
    HUB_LOG_LEVEL: 'warn',
  };
  const started: Child[] = [];
  const start = async (role: string, name: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
    const child = await startChild('dist/src/main.js', [], { ...env, PORT: '0', HUB_HOST: '127.0.0.1', HUB_ROLE: role, HUB_REPLICA_ID: name, HUB_DATA_DIR: dataDir, HUB_LOG_LEVEL: 'log' }, /listening on http:\/\/127\.0\.0\.1:(\d+)/, [], dataDir);
    started.push(child);
    return `http://127.0.0.1:${child.ready[1]}`;
  };
  try {
    const api = await start('api', 'api');
    const ids: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const account = await json<{ id: string }>(`${api}/integrated-accounts`, {
        method: 'POST',
        headers: AUTH,
        body: { integration: 'jetbrains', name: `bench ${i + 1}`, allow_duplicate: true, credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN } },
      });
      ids.push(account.id);
    }
    const before = started.length;
    await Promise.all(Array.from({ length: workers }, (_, i) => start('worker', `worker-${i + 1}`)));
    const workerPids = started.slice(before).map((c) => c.process.pid!);
    const cpuAtBoot = workerPids.map(cpuMs);
    const simAtBoot = cpuMs(simPid);
    let runs: RunView[] = [];
    for (;;) {
      runs = await Promise.all(ids.map(async (id) => (await json<{ result: RunView[] }>(`${api}/integrated-accounts/${id}/syncs`, { headers: AUTH })).result[0]!));
      const failed = runs.find((r) => r.status === 'failed');
      if (failed) throw new Error(`a sync failed: ${JSON.stringify(failed.error)}`);
      if (runs.every((r) => r.status === 'succeeded')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cpuSpent = workerPids.reduce((sum, pid, i) => sum + cpuMs(pid) - cpuAtBoot[i]!, 0);
    const simSpent = cpuMs(simPid) - simAtBoot;
    const first = Math.min(...runs.map((r) => Date.parse(r.started_at!)));
    const last = Math.max(...runs.map((r) => Date.parse(r.finished_at!)));
    const durations = runs.map((r) => r.duration_ms!).sort((a, b) => a - b);
    return {
      workers,
      accounts: ACCOUNTS,
      wall_ms: last - first,
      run_p50_ms: durations[durations.length >> 1]!,
      run_max_ms: durations[durations.length - 1]!,
      workers_cpu_cores: Number((cpuSpent / (last - first)).toFixed(2)),
      simulator_cpu_cores: Number((simSpent / (last - first)).toFixed(2)),
      load_1m: Number(loadavg()[0]!.toFixed(1)),
    };
  } finally {
    for (const child of started.reverse()) await child.stop();
    const queue = new Queue('hub-sync', { connection: { url: REDIS_URL, maxRetriesPerRequest: null } as never, prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

/** True when this machine's PostgreSQL and Redis answer (else the figure is skipped, saying why). */
export async function clusterBackendsUp(): Promise<string | null> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    return `PostgreSQL at ${POSTGRES_URL}: ${(error as Error).message}`;
  }
  const queue = new Queue('hub-probe', { connection: { url: REDIS_URL, maxRetriesPerRequest: 1, connectTimeout: 2_000 } as never });
  try {
    await Promise.race([queue.waitUntilReady(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2_000))]);
    return null;
  } catch (error) {
    return `Redis at ${REDIS_URL}: ${(error as Error).message}`;
  } finally {
    await queue.close().catch(() => undefined);
  }
}
