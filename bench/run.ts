import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { downloadAllPages } from './lib/floor';
import { agent, json, load } from './lib/http';
import { Child, memoryOf, peakRssDuring, startChild } from './lib/processes';

/**
 * `npm run bench`: sync, unified reads and proxy, each measured beside its physical floor in the
 * same run, against the simulators on 127.0.0.1. Prints a table and writes bench/results/latest.json.
 */
const API_KEY = 'bench-hub-api-key-0123456789abcdef';
const AUTH = { authorization: `Bearer ${API_KEY}` };
const JB_HEADERS = { 'x-api-key': SIM_ADMIN_TOKEN, 'x-customer-code': String(SIM_CUSTOMER_CODE) };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 1000);

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
  const child = await startChild('sandbox/jetbrains/cli.ts', ['--port', '0', ...args], {}, /JetBrains simulator on (\S+) \(/);
  return { child, baseUrl: child.ready[1]! };
}

async function startHub(jetbrainsBaseUrl: string): Promise<{ child: Child; url: string }> {
  const child = await startChild(
    'dist/src/main.js',
    [],
    {
      PORT: '0',
      HUB_LOG_LEVEL: 'log',
      HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'hub-bench-')),
      HUB_API_KEY: API_KEY,
      HUB_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      JETBRAINS_BASE_URL: jetbrainsBaseUrl,
      HUB_FIRST_SYNC_WAIT: '0s',
      // One key at thousands of requests a second: the bench measures the hub, not its rate limit.
      HUB_RATE_LIMIT: '0',
    },
    /listening on http:\/\/localhost:(\d+)/,
    (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean),
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

async function benchSync(results: Record<string, unknown>): Promise<{ hub: { child: Child; url: string }; accountId: string; sim: { child: Child } }> {
  console.log('\n1. Sync (simulator: 25 ms per request, at most 8 requests at once)');
  const sim = await startSim(['--dataset', '10k', '--latency', '25', '--max-concurrent', '8', '--cache-lists', 'true']);
  const bySize: Record<string, unknown> = {};
  let kept: { hub: { child: Child; url: string }; accountId: string } | null = null;
  for (const size of ['10k', '100k']) {
    await json(`${sim.baseUrl.replace(/\/api\/v1$/, '')}/__sim/dataset`, { method: 'PUT', body: { name: size } });
    const floor = await downloadAllPages(sim.baseUrl, JB_HEADERS, 8);
    const sequential = await downloadAllPages(sim.baseUrl, JB_HEADERS, 1);
    const hub = await startHub(sim.baseUrl);
    const idleMb = memoryOf(hub.child.process.pid!).rssMb;
    const synced = await connectAndSync(hub.url);
    const peakMb = memoryOf(hub.child.process.pid!).peakMb;
    bySize[size] = {
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
      hub_timings: synced.timings,
    };
    console.log(`  ${size}: ${JSON.stringify(bySize[size])}`);
    if (size === '100k') kept = { hub, accountId: synced.accountId };
    else await hub.child.stop();
  }
  const small = bySize['10k'] as Record<string, number>;
  const large = bySize['100k'] as Record<string, number>;
  record('sync 100k: hub / floor', `${large.hub_over_floor!.toFixed(2)}x (${large.hub_ms} ms vs ${large.floor_ms} ms)`, '<= 1.5x', large.hub_over_floor! <= 1.5);
  record('sync 100k: sequential / hub', `${large.sequential_over_hub!.toFixed(1)}x faster (${large.sequential_ms} ms sequential)`, '>= 5x', large.sequential_over_hub! >= 5);
  record('sync 100k: hub peak RSS', `${large.hub_peak_rss_mb} MB (${large.users} users)`, '< 400 MB', large.hub_peak_rss_mb! < 400);
  const timeGrowth = large.hub_ms! / small.hub_ms!;
  const memGrowth = (large.hub_peak_rss_mb! - large.hub_idle_rss_mb!) / Math.max(1, small.hub_peak_rss_mb! - small.hub_idle_rss_mb!);
  const dataGrowth = large.licenses! / small.licenses!;
  record('sync 10k -> 100k: time growth', `${timeGrowth.toFixed(1)}x for ${dataGrowth.toFixed(0)}x the data`);
  record('sync 10k -> 100k: memory growth above idle', `${memGrowth.toFixed(1)}x for ${dataGrowth.toFixed(0)}x the data`, `<= ${dataGrowth.toFixed(0)}x`, memGrowth <= dataGrowth);
  results.sync = bySize;
  return { ...kept!, sim };
}

async function benchReads(results: Record<string, unknown>, hubUrl: string, accountId: string): Promise<void> {
  console.log('\n2. Unified reads (limit=100 on the 100k-license account)');
  const usersUrl = `${hubUrl}/unified/user-directory/users?integrated_account_id=${accountId}&limit=100`;
  const started = performance.now();
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page: { next_cursor: string | null } = await json(`${usersUrl}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: AUTH });
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor);
  const walkMs = performance.now() - started;
  const users = await load(usersUrl, AUTH, 20, SECONDS);
  const health = await load(`${hubUrl}/health`, {}, 20, SECONDS);
  results.reads = { walk_pages: pages, walk_ms: Math.round(walkMs), users, health, share_of_health: users.requestsPerSecond / health.requestsPerSecond };
  record('reads: walk of every page', `${pages} pages in ${Math.round(walkMs)} ms (${(walkMs / pages).toFixed(2)} ms/page)`);
  record('reads: users limit=100 p99', `${users.p99Ms} ms (p50 ${users.p50Ms} ms, ${Math.round(users.requestsPerSecond)} req/s)`, '< 10 ms', users.p99Ms < 10 && users.errors + users.non2xx === 0);
  record('reads: /health p99 (framework floor)', `${health.p99Ms} ms (p50 ${health.p50Ms} ms)`);
  const share = users.requestsPerSecond / health.requestsPerSecond;
  record('reads: throughput vs /health', `${(share * 100).toFixed(0)}% (${Math.round(health.requestsPerSecond)} req/s on /health)`, '>= 40%', share >= 0.4);
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
  console.log('\n3. Proxy (simulator without added latency)');
  const sim = await startSim(['--dataset', '10k', '--cache-lists', 'true']);
  const hub = await startHub(sim.baseUrl);
  try {
    const { accountId } = await connectAndSync(hub.url);
    const direct = `${sim.baseUrl}/customer/licenses?perPage=200`;
    const proxied = `${hub.url}/proxy/customer/licenses?perPage=200&integrated_account_id=${accountId}`;
    await timeRequests(direct, JB_HEADERS, 200);
    await timeRequests(proxied, AUTH, 200);
    const directTimes = await timeRequests(direct, JB_HEADERS, LATENCY_SAMPLES);
    const proxiedTimes = await timeRequests(proxied, AUTH, LATENCY_SAMPLES);
    const added50 = percentile(proxiedTimes, 50) - percentile(directTimes, 50);
    const added99 = percentile(proxiedTimes, 99) - percentile(directTimes, 99);
    const directLoad = await load(direct, JB_HEADERS, 20, SECONDS);
    const proxiedLoad = await load(proxied, AUTH, 20, SECONDS);
    const share = proxiedLoad.requestsPerSecond / directLoad.requestsPerSecond;

    const blobMb = 50;
    const before = memoryOf(hub.child.process.pid!).rssMb;
    const { result: bytes, peakMb } = await peakRssDuring(hub.child.process.pid!, async () => {
      const res = await request(`${hub.url}/proxy/__sim/blob?mb=${blobMb}&integrated_account_id=${accountId}`, { headers: AUTH, dispatcher: agent });
      let received = 0;
      for await (const chunk of res.body) received += (chunk as Buffer).length;
      return received;
    });
    const growth = peakMb - before;
    results.proxy = {
      direct_p50_ms: percentile(directTimes, 50),
      direct_p99_ms: percentile(directTimes, 99),
      proxied_p50_ms: percentile(proxiedTimes, 50),
      proxied_p99_ms: percentile(proxiedTimes, 99),
      added_p50_ms: added50,
      added_p99_ms: added99,
      direct: directLoad,
      proxied: proxiedLoad,
      throughput_share: share,
      blob_bytes: bytes,
      blob_rss_before_mb: before,
      blob_rss_peak_mb: peakMb,
      blob_rss_growth_mb: growth,
    };
    record('proxy: added latency p50', `${added50.toFixed(3)} ms (p99 +${added99.toFixed(3)} ms)`, '< 1 ms', added50 < 1);
    record('proxy: throughput vs direct', `${(share * 100).toFixed(0)}% (${Math.round(proxiedLoad.requestsPerSecond)} vs ${Math.round(directLoad.requestsPerSecond)} req/s)`, '>= 70%', share >= 0.7 && proxiedLoad.non2xx === 0);
    record(`proxy: RSS growth streaming ${blobMb} MB`, `+${growth.toFixed(1)} MB (${(bytes / 1048576).toFixed(1)} MB received)`, '< +50 MB', growth < 50 && bytes >= blobMb * 1048576);
  } finally {
    await hub.child.stop();
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
  };
  console.log(`Benchmarks on ${machine.cpus} x ${machine.cpu_model}, ${machine.total_memory_mb} MB, Node ${machine.node}`);
  const results: Record<string, unknown> = { machine };
  // BENCH_ONLY=sync,proxy runs a subset while working on one figure; the default runs everything.
  const only = new Set((process.env.BENCH_ONLY ?? 'sync,reads,proxy').split(','));
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

  console.log('\nSummary');
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
