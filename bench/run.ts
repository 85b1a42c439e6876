import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { ClusterRun, clusterBackendsUp, clusterRun } from './cluster';
import { downloadAllPages } from './lib/floor';
import { agent, json, load, LoadResult } from './lib/http';
import { Child, cpuOf, memoryOf, peakRssDuring, startChild } from './lib/processes';

/**
 * `npm run bench`: sync, unified reads and proxy, each measured beside its physical floor in the
 * same run, against the simulators on 127.0.0.1. Every figure is measured BENCH_RUNS times (3 by
 * default; BENCH_RUNS=1 for a quick pass) and reported as the median with the spread (min-max) of
 * the runs. The simulator serves its realistic data (random ids, shuffled, a person's licenses
 * spread over pages); BENCH_ORDER=friendly gives the old shape. BENCH_SYNC_SIZES=10k,100k,250k adds
 * the largest dataset. Prints a table and writes bench/results/latest.json.
 */
const API_KEY = 'bench-hub-api-key-0123456789abcdef';
const AUTH = { authorization: `Bearer ${API_KEY}` };
const JB_HEADERS = { 'x-api-key': SIM_ADMIN_TOKEN, 'x-customer-code': String(SIM_CUSTOMER_CODE) };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 1000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const ORDER = process.env.BENCH_ORDER ?? 'realistic';
const SYNC_SIZES = (process.env.BENCH_SYNC_SIZES ?? '10k,100k').split(',');

/** The median of the runs and their spread. */
interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}
function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: values };
}
/** `1.29x (1.25-1.33)`: the median, then the spread of the runs when there were several. */
function show(s: Spread, digits = 0, unit = ''): string {
  const f = (v: number) => `${v.toFixed(digits)}${unit}`;
  return s.runs.length > 1 ? `${f(s.median)} (${f(s.min)}-${f(s.max)})` : f(s.median);
}

interface Row {
  figure: string;
  value: string;
  target: string;
  met: boolean | null;
}
const rows: Row[] = [];
const record = (figure: string, value: string, target = '', met: boolean | null = null) => {
  rows.push({ figure, value, target, met });
  console.log(`  ${figure}: ${value}${target ? `  (target ${target}: ${met ? 'met' : 'MISSED'})` : ''}`);
};

async function startSim(args: string[]): Promise<{ child: Child; baseUrl: string }> {
  const child = await startChild('sandbox/jetbrains/cli.ts', ['--port', '0', '--order', ORDER, ...args], {}, /JetBrains simulator on (\S+) \(/);
  return { child, baseUrl: child.ready[1]! };
}

async function startHub(jetbrainsBaseUrl: string): Promise<{ child: Child; url: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const child = await startChild(
    'dist/src/main.js',
    [],
    {
      PORT: '0',
      HUB_LOG_LEVEL: 'log',
      HUB_DATA_DIR: dataDir,
      HUB_API_KEY: API_KEY,
      HUB_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      JETBRAINS_BASE_URL: jetbrainsBaseUrl,
      HUB_FIRST_SYNC_WAIT: '0s',
      // One key at thousands of requests a second: the bench measures the hub, not its rate limit.
      HUB_RATE_LIMIT: '0',
      // 20 connections of autocannon on one account: above the default cap of 16 proxied requests at
      // once, which would answer some with 429 (the bench measures the relay, not its cap).
      HUB_PROXY_CONCURRENCY: '64',
    },
    /listening on http:\/\/localhost:(\d+)/,
    (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean),
    dataDir,
  );
  return { child, url: `http://127.0.0.1:${child.ready[1]}` };
}

/** Connects an account and waits for its initial sync; returns the run's own duration. */
async function connectAndSync(hubUrl: string): Promise<{ accountId: string; syncMs: number; users: number; timings: unknown }> {
  const account = await json<{ id: string }>(`${hubUrl}/integrated-accounts`, {
    method: 'POST',
    headers: AUTH,
    body: { integration: 'jetbrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN } },
  });
  for (;;) {
    const runs = await json<{ result: { status: string; duration_ms: number; stats: { users: number; timings: unknown }; error: unknown }[] }>(
      `${hubUrl}/integrated-accounts/${account.id}/syncs`,
      { headers: AUTH },
    );
    const run = runs.result[0]!;
    if (run.status === 'succeeded') return { accountId: account.id, syncMs: run.duration_ms, users: run.stats.users, timings: run.stats.timings };
    if (run.status === 'failed') throw new Error(`sync failed: ${JSON.stringify(run.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface SyncRun {
  licenses: number;
  pages: number;
  users: number;
  hub_ms: number;
  floor_ms: number;
  sequential_ms: number;
  hub_over_floor: number;
  sequential_over_hub: number;
  hub_idle_rss_mb: number;
  hub_peak_rss_mb: number;
  /** CPU the hub used for the sync: every thread, and the main thread alone (steadier than wall time on a loaded machine). */
  hub_cpu_ms: number;
  hub_main_thread_cpu_ms: number;
  hub_timings: unknown;
  /** CPU the simulator spent serving the floor's download and the hub's sync: on 2 cores it competes with the hub. */
  simulator_cpu_ms: { floor: number; hub: number };
}

async function benchSync(results: Record<string, unknown>): Promise<{ hub: { child: Child; url: string }; accountId: string; sim: { child: Child } }> {
  console.log(`\n1. Sync (simulator: ${ORDER} data, 25 ms per request, at most 8 requests at once; ${RUNS} run(s) of ${SYNC_SIZES.join(', ')})`);
  const sim = await startSim(['--dataset', '10k', '--latency', '25', '--max-concurrent', '8', '--cache-lists', 'true']);
  const bySize: Record<string, SyncRun[]> = Object.fromEntries(SYNC_SIZES.map((size) => [size, []]));
  let kept: { hub: { child: Child; url: string }; accountId: string } | null = null;
  for (let run = 1; run <= RUNS; run++) {
    for (const size of SYNC_SIZES) {
      await json(`${sim.baseUrl.replace(/\/api\/v1$/, '')}/__sim/dataset`, { method: 'PUT', body: { name: size, order: ORDER } });
      const simPid = sim.child.process.pid!;
      const simBeforeFloor = cpuOf(simPid).processMs;
      const floor = await downloadAllPages(sim.baseUrl, JB_HEADERS, 8);
      const simFloorMs = cpuOf(simPid).processMs - simBeforeFloor;
      const sequential = await downloadAllPages(sim.baseUrl, JB_HEADERS, 1);
      const hub = await startHub(sim.baseUrl);
      const idleMb = memoryOf(hub.child.process.pid!).rssMb;
      const cpuBefore = cpuOf(hub.child.process.pid!);
      const simBeforeHub = cpuOf(simPid).processMs;
      const synced = await connectAndSync(hub.url);
      const cpuAfter = cpuOf(hub.child.process.pid!);
      const simHubMs = cpuOf(simPid).processMs - simBeforeHub;
      const peakMb = memoryOf(hub.child.process.pid!).peakMb;
      const measured: SyncRun = {
        licenses: floor.licenses,
        pages: floor.pages,
        users: synced.users,
        hub_ms: Math.round(synced.syncMs),
        floor_ms: Math.round(floor.ms),
        sequential_ms: Math.round(sequential.ms),
        hub_over_floor: synced.syncMs / floor.ms,
        sequential_over_hub: sequential.ms / synced.syncMs,
        hub_idle_rss_mb: Math.round(idleMb),
        hub_peak_rss_mb: Math.round(peakMb),
        hub_cpu_ms: Math.round(cpuAfter.processMs - cpuBefore.processMs),
        hub_main_thread_cpu_ms: Math.round(cpuAfter.mainThreadMs - cpuBefore.mainThreadMs),
        hub_timings: synced.timings,
        simulator_cpu_ms: { floor: Math.round(simFloorMs), hub: Math.round(simHubMs) },
      };
      bySize[size]!.push(measured);
      console.log(`  run ${run}, ${size}: ${JSON.stringify(measured)}`);
      // The reads are measured on the 100k account of the last run.
      if (size === '100k' && run === RUNS) kept = { hub, accountId: synced.accountId };
      else await hub.child.stop();
    }
  }
  const of = (size: string, pick: (r: SyncRun) => number) => spread(bySize[size]!.map(pick));
  const large = bySize['100k']![0]!;
  const ratio = of('100k', (r) => r.hub_over_floor);
  const faster = of('100k', (r) => r.sequential_over_hub);
  const peak = of('100k', (r) => r.hub_peak_rss_mb);
  record('sync 100k: hub / floor', `${show(ratio, 2, 'x')}; hub ${show(of('100k', (r) => r.hub_ms))} ms, floor ${show(of('100k', (r) => r.floor_ms))} ms`, '<= 1.3x', ratio.median <= 1.3);
  record('sync 100k: sequential / hub', `${show(faster, 1, 'x')} faster (sequential ${show(of('100k', (r) => r.sequential_ms))} ms)`, '>= 5x', faster.median >= 5);
  record(
    'sync 100k: hub CPU',
    `${show(of('100k', (r) => r.hub_cpu_ms))} ms in all threads, ${show(of('100k', (r) => r.hub_main_thread_cpu_ms))} ms on the main thread`,
  );
  record('sync 100k: hub peak RSS', `${show(peak, 0, ' MB')} (idle ${show(of('100k', (r) => r.hub_idle_rss_mb))} MB; ${large.users} users)`, '< 400 MB', peak.median < 400);
  const growth: Record<string, unknown> = {};
  for (let i = 1; i < SYNC_SIZES.length; i++) {
    const [from, to] = [SYNC_SIZES[i - 1]!, SYNC_SIZES[i]!];
    const runsFrom = bySize[from]!;
    const runsTo = bySize[to]!;
    const dataGrowth = runsTo[0]!.licenses / runsFrom[0]!.licenses;
    // Run by run: each run's sizes were measured side by side.
    const time = spread(runsTo.map((r, k) => r.hub_ms / runsFrom[k]!.hub_ms));
    const memory = spread(runsTo.map((r, k) => (r.hub_peak_rss_mb - r.hub_idle_rss_mb) / Math.max(1, runsFrom[k]!.hub_peak_rss_mb - runsFrom[k]!.hub_idle_rss_mb)));
    growth[`${from}->${to}`] = { data: dataGrowth, time, memory_above_idle: memory };
    record(`sync ${from} -> ${to}: time growth`, `${show(time, 1, 'x')} for ${dataGrowth.toFixed(1)}x the data`, `<= ${dataGrowth.toFixed(1)}x`, time.median <= dataGrowth);
    record(`sync ${from} -> ${to}: memory growth above idle`, `${show(memory, 1, 'x')} for ${dataGrowth.toFixed(1)}x the data`, `<= ${dataGrowth.toFixed(1)}x`, memory.median <= dataGrowth);
  }
  for (const size of SYNC_SIZES.filter((s) => s !== '100k')) {
    record(`sync ${size}: hub / floor`, `${show(of(size, (r) => r.hub_over_floor), 2, 'x')}; hub ${show(of(size, (r) => r.hub_ms))} ms, peak RSS ${show(of(size, (r) => r.hub_peak_rss_mb))} MB`);
  }
  results.sync = {
    order: ORDER,
    runs: bySize,
    medians: Object.fromEntries(
      SYNC_SIZES.map((size) => [
        size,
        {
          hub_ms: of(size, (r) => r.hub_ms),
          floor_ms: of(size, (r) => r.floor_ms),
          sequential_ms: of(size, (r) => r.sequential_ms),
          hub_over_floor: of(size, (r) => r.hub_over_floor),
          sequential_over_hub: of(size, (r) => r.sequential_over_hub),
          hub_peak_rss_mb: of(size, (r) => r.hub_peak_rss_mb),
          hub_cpu_ms: of(size, (r) => r.hub_cpu_ms),
          hub_main_thread_cpu_ms: of(size, (r) => r.hub_main_thread_cpu_ms),
        },
      ]),
    ),
    growth,
  };
  return { ...kept!, sim };
}

/** Follows next_cursor from the first page to the last; pages and time. */
async function walk(firstUrl: string): Promise<{ pages: number; ms: number; items: number }> {
  const started = performance.now();
  let pages = 0;
  let items = 0;
  let cursor: string | null = null;
  do {
    const page: { next_cursor: string | null; result: unknown[] } = await json(`${firstUrl}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: AUTH });
    cursor = page.next_cursor;
    pages += 1;
    items += page.result.length;
  } while (cursor);
  return { pages, ms: performance.now() - started, items };
}

async function benchReads(results: Record<string, unknown>, hubUrl: string, accountId: string): Promise<void> {
  console.log(`\n2. Unified reads (limit=100 on the 100k-license account; ${RUNS} run(s), ${SECONDS} s of 20 connections each)`);
  const usersUrl = `${hubUrl}/unified/user-directory/users?integrated_account_id=${accountId}&limit=100`;
  const seatsUrl = `${hubUrl}/unified/user-directory/reclaimable-seats?integrated_account_id=${accountId}&limit=100`;
  const runs: Record<string, unknown>[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const usersWalk = await walk(usersUrl);
    const seatsWalk = await walk(seatsUrl);
    const users = await load(usersUrl, AUTH, 20, SECONDS);
    const health = await load(`${hubUrl}/health`, {}, 20, SECONDS);
    const seats = await load(seatsUrl, AUTH, 20, SECONDS);
    const measured = {
      users_walk: usersWalk,
      seats_walk: seatsWalk,
      users,
      health,
      seats,
      users_share_of_health: users.requestsPerSecond / health.requestsPerSecond,
      seats_share_of_health: seats.requestsPerSecond / health.requestsPerSecond,
    };
    runs.push(measured);
    console.log(`  run ${run}: ${JSON.stringify(measured)}`);
  }
  type ReadRun = { users_walk: { pages: number; ms: number; items: number }; seats_walk: { pages: number; ms: number; items: number }; users: LoadResult; health: LoadResult; seats: LoadResult; users_share_of_health: number; seats_share_of_health: number };
  const r = runs as ReadRun[];
  const of = (pick: (run: ReadRun) => number) => spread(r.map(pick));
  const clean = (l: LoadResult) => l.errors + l.non2xx === 0;
  const first = r[0]!;
  record('reads: walk of every users page', `${first.users_walk.pages} pages, ${show(of((x) => x.users_walk.ms / x.users_walk.pages), 2)} ms/page`);
  const usersP99 = of((x) => x.users.p99Ms);
  record('reads: users limit=100 p99', `${show(usersP99, 0, ' ms')} (p50 ${show(of((x) => x.users.p50Ms), 0, ' ms')}, ${show(of((x) => x.users.requestsPerSecond))} req/s)`, '< 10 ms', usersP99.median < 10 && r.every((x) => clean(x.users)));
  record('reads: /health p99 (framework floor)', `${show(of((x) => x.health.p99Ms), 0, ' ms')} (p50 ${show(of((x) => x.health.p50Ms), 0, ' ms')}, ${show(of((x) => x.health.requestsPerSecond))} req/s)`);
  const usersShare = of((x) => x.users_share_of_health * 100);
  record('reads: users throughput vs /health', `${show(usersShare, 0, '%')}`, '>= 40%', usersShare.median >= 40);
  const seatsP99 = of((x) => x.seats.p99Ms);
  record(
    'reads: reclaimable-seats limit=100 p99',
    `${show(seatsP99, 0, ' ms')} (p50 ${show(of((x) => x.seats.p50Ms), 0, ' ms')}, ${show(of((x) => x.seats.requestsPerSecond))} req/s)`,
    '< 10 ms',
    seatsP99.median < 10 && r.every((x) => clean(x.seats)),
  );
  const seatsShare = of((x) => x.seats_share_of_health * 100);
  record('reads: reclaimable-seats throughput vs /health', `${show(seatsShare, 0, '%')}`, '>= 40%', seatsShare.median >= 40);
  record('reads: walk of every reclaimable-seats page', `${first.seats_walk.pages} pages (${first.seats_walk.items} seats), ${show(of((x) => x.seats_walk.ms / x.seats_walk.pages), 2)} ms/page`);
  results.reads = {
    runs,
    medians: {
      users_p50_ms: of((x) => x.users.p50Ms),
      users_p99_ms: usersP99,
      users_rps: of((x) => x.users.requestsPerSecond),
      users_share_of_health: usersShare,
      health_p99_ms: of((x) => x.health.p99Ms),
      health_rps: of((x) => x.health.requestsPerSecond),
      seats_p50_ms: of((x) => x.seats.p50Ms),
      seats_p99_ms: seatsP99,
      seats_rps: of((x) => x.seats.requestsPerSecond),
      seats_share_of_health: seatsShare,
      users_walk_ms_per_page: of((x) => x.users_walk.ms / x.users_walk.pages),
      seats_walk_ms_per_page: of((x) => x.seats_walk.ms / x.seats_walk.pages),
    },
  };
}

async function timeRequests(url: string, headers: Record<string, string>, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    const res = await request(url, { headers, dispatcher: agent });
    await res.body.dump({ limit: Infinity });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function benchProxy(results: Record<string, unknown>): Promise<void> {
  console.log(`\n3. Proxy (simulator without added latency; ${RUNS} run(s))`);
  const sim = await startSim(['--dataset', '10k', '--cache-lists', 'true']);
  const hub = await startHub(sim.baseUrl);
  try {
    const { accountId } = await connectAndSync(hub.url);
    const direct = `${sim.baseUrl}/customer/licenses?perPage=200`;
    const proxied = `${hub.url}/proxy/customer/licenses?perPage=200&integrated_account_id=${accountId}`;
    await timeRequests(direct, JB_HEADERS, 200);
    await timeRequests(proxied, AUTH, 200);
    const blobMb = 50;
    const runs: Record<string, number>[] = [];
    let allAnswered = true;
    let allStreamed = true;
    for (let run = 1; run <= RUNS; run++) {
      const directTimes = await timeRequests(direct, JB_HEADERS, LATENCY_SAMPLES);
      const proxiedTimes = await timeRequests(proxied, AUTH, LATENCY_SAMPLES);
      const directLoad = await load(direct, JB_HEADERS, 20, SECONDS);
      const proxiedLoad = await load(proxied, AUTH, 20, SECONDS);
      allAnswered &&= proxiedLoad.non2xx === 0;
      const before = memoryOf(hub.child.process.pid!).rssMb;
      const { result: bytes, peakMb } = await peakRssDuring(hub.child.process.pid!, async () => {
        const res = await request(`${hub.url}/proxy/__sim/blob?mb=${blobMb}&integrated_account_id=${accountId}`, { headers: AUTH, dispatcher: agent });
        let received = 0;
        for await (const chunk of res.body) received += (chunk as Buffer).length;
        return received;
      });
      allStreamed &&= bytes >= blobMb * 1048576;
      const measured = {
        direct_p50_ms: percentile(directTimes, 50),
        direct_p99_ms: percentile(directTimes, 99),
        proxied_p50_ms: percentile(proxiedTimes, 50),
        proxied_p99_ms: percentile(proxiedTimes, 99),
        added_p50_ms: percentile(proxiedTimes, 50) - percentile(directTimes, 50),
        added_p99_ms: percentile(proxiedTimes, 99) - percentile(directTimes, 99),
        direct_rps: directLoad.requestsPerSecond,
        proxied_rps: proxiedLoad.requestsPerSecond,
        throughput_share: proxiedLoad.requestsPerSecond / directLoad.requestsPerSecond,
        blob_bytes: bytes,
        blob_rss_before_mb: before,
        blob_rss_peak_mb: peakMb,
        blob_rss_growth_mb: peakMb - before,
      };
      runs.push(measured);
      console.log(`  run ${run}: ${JSON.stringify(measured)}`);
    }
    const of = (key: string) => spread(runs.map((r) => r[key]!));
    const added = of('added_p50_ms');
    const share = of('throughput_share');
    const growth = of('blob_rss_growth_mb');
    record('proxy: added latency p50', `${show(added, 3, ' ms')} (p99 +${show(of('added_p99_ms'), 3, ' ms')})`, '< 1 ms', added.median < 1);
    record('proxy: throughput vs direct', `${show(spread(share.runs.map((v) => v * 100)), 0, '%')} (${show(of('proxied_rps'))} vs ${show(of('direct_rps'))} req/s)`, '>= 70%', share.median >= 0.7 && allAnswered);
    record(`proxy: RSS growth streaming ${blobMb} MB`, `+${show(growth, 1, ' MB')}`, '< +50 MB', growth.median < 50 && allStreamed);
    results.proxy = { runs, medians: { added_p50_ms: added, added_p99_ms: of('added_p99_ms'), throughput_share: share, blob_rss_growth_mb: growth } };
  } finally {
    await hub.child.stop();
    await sim.child.stop();
  }
}

async function benchCluster(results: Record<string, unknown>): Promise<void> {
  console.log(`\n4. Cluster (BullMQ on this machine's PostgreSQL and Redis): accounts of 10k licenses, one worker process vs three worker replicas (simulator: 25 ms per request, no cap); ${RUNS} run(s)`);
  const down = await clusterBackendsUp();
  if (down) {
    record('cluster: 3 workers / 1 worker', `skipped (${down})`);
    return;
  }
  const sim = await startSim(['--dataset', '10k', '--latency', '25', '--cache-lists', 'true']);
  try {
    const measured: { one: ClusterRun[]; three: ClusterRun[] } = { one: [], three: [] };
    for (let run = 1; run <= RUNS; run++) {
      for (const [key, workers] of [['one', 1], ['three', 3]] as const) {
        const result = await clusterRun(sim.baseUrl, sim.child.process.pid!, workers);
        measured[key].push(result);
        console.log(`  run ${run}, ${workers} worker(s): ${JSON.stringify(result)}`);
      }
    }
    const speedup = spread(measured.one.map((one, i) => one.wall_ms / measured.three[i]!.wall_ms));
    const wall = (key: 'one' | 'three') => spread(measured[key].map((r) => r.wall_ms));
    const runP50 = (key: 'one' | 'three') => spread(measured[key].map((r) => r.run_p50_ms));
    const cores = (key: 'one' | 'three') => spread(measured[key].map((r) => r.workers_cpu_cores));
    const simCores = (key: 'one' | 'three') => spread(measured[key].map((r) => r.simulator_cpu_cores));
    const accounts = measured.one[0]!.accounts;
    record(
      `cluster: ${accounts} accounts x 10k, 3 worker replicas vs 1 process`,
      `${show(speedup, 2, 'x')} faster; 1 worker ${show(wall('one'))} ms (a run ${show(runP50('one'))} ms; workers ${show(cores('one'), 2)} cores, simulator ${show(simCores('one'), 2)}), ` +
        `3 workers ${show(wall('three'))} ms (a run ${show(runP50('three'))} ms; workers ${show(cores('three'), 2)} cores, simulator ${show(simCores('three'), 2)})`,
    );
    results.cluster = { accounts, runs: measured, speedup, wall_ms: { one: wall('one'), three: wall('three') } };
  } finally {
    await sim.child.stop();
  }
}

async function main(): Promise<void> {
  // The hub runs from its build, as `npm start` runs it (ts-node would add its compiler to the RSS).
  execSync('npm run build', { cwd: join(__dirname, '..'), stdio: 'ignore' });
  const machine = {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    total_memory_mb: Math.round(totalmem() / 1048576),
    free_memory_mb: Math.round(freemem() / 1048576),
    platform: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    // Other work on the machine shares its cores: the figures are only as quiet as this was.
    load_average_at_start: loadavg().map((l) => Number(l.toFixed(2))),
    runs: RUNS,
    data_order: ORDER,
  };
  console.log(
    `Benchmarks on ${machine.cpus} x ${machine.cpu_model}, ${machine.total_memory_mb} MB (${machine.free_memory_mb} MB free), ${machine.platform}, Node ${machine.node}; ` +
      `load average ${machine.load_average_at_start.join(' ')}; ${RUNS} run(s) per figure, ${ORDER} data`,
  );
  const results: Record<string, unknown> = { machine };
  // BENCH_ONLY=sync,proxy runs a subset while working on one figure; the default runs everything.
  const only = new Set((process.env.BENCH_ONLY ?? 'sync,reads,proxy,cluster').split(','));
  if (only.has('sync') || only.has('reads')) {
    const { hub, accountId, sim } = await benchSync(results);
    try {
      if (only.has('reads')) await benchReads(results, hub.url, accountId);
    } finally {
      await hub.child.stop();
      await sim.child.stop();
    }
  }
  if (only.has('proxy')) await benchProxy(results);
  if (only.has('cluster')) await benchCluster(results);

  (machine as Record<string, unknown>).load_average_at_end = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`\nSummary (median of ${RUNS} run(s), spread min-max in brackets; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  console.table(rows.map((r) => ({ figure: r.figure, value: r.value, target: r.target, met: r.met === null ? '' : r.met ? 'yes' : 'NO' })));
  results.summary = rows;
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('Written bench/results/latest.json');
  await agent.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
