import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent, createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { firstValueFrom } from 'rxjs';
import { Agent, request } from 'undici';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { walkLicensePages } from './lib/floor';
import { json } from './lib/http';
import { startChild } from './lib/processes';

/**
 * `npx ts-node --transpile-only bench/http-clients.ts`: the hub's HTTP client (undici) against the
 * one the NestJS design card names (`@nestjs/axios`'s HttpService on axios, with a keep-alive agent),
 * on the two things the hub does with one:
 *
 * - sync: every license page of the realistic 100k organisation (501 pages of 200), 8 at a time,
 *   25 ms of simulated latency, each body read whole and JSON.parse'd (what UpstreamHttp.bytes()
 *   feeds the worker): wall time, and this process's CPU time;
 * - proxy: a relay server that streams each answer through (what /proxy does), 1,000 sequential
 *   requests of a 117 KB page with no simulated latency: added latency over asking the simulator
 *   directly (p50), and CPU per relayed request.
 *
 * Both clients run in every round, in alternating order; BENCH_RUNS rounds (3), medians and
 * spreads. Writes bench/results/http-clients.json.
 */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const RELAYED = Number(process.env.BENCH_RELAYED ?? 1000);
const HEADERS = { 'x-api-key': SIM_ADMIN_TOKEN, 'x-customer-code': String(SIM_CUSTOMER_CODE) };

interface Client {
  name: string;
  /** The whole body. */
  bytes(url: string): Promise<{ body: Buffer; headers: Record<string, unknown> }>;
  /** Streams the upstream answer into `res`. */
  relay(url: string, res: ServerResponse): Promise<void>;
}

function undiciClient(): Client {
  const dispatcher = new Agent({ connections: 8, keepAliveTimeout: 10_000 });
  return {
    name: 'undici',
    async bytes(url) {
      const res = await request(url, { headers: HEADERS, dispatcher });
      return { body: Buffer.from(await res.body.arrayBuffer()), headers: res.headers };
    },
    async relay(url, res) {
      const upstream = await request(url, { headers: HEADERS, dispatcher });
      res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') });
      await pipeline(upstream.body, res);
    },
  };
}

function nestAxiosClient(): Client {
  const http = new HttpService(axios.create({ httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 8 }), headers: HEADERS }));
  return {
    name: '@nestjs/axios',
    async bytes(url) {
      const res = await firstValueFrom(http.get<ArrayBuffer>(url, { responseType: 'arraybuffer' }));
      return { body: Buffer.from(res.data), headers: res.headers as Record<string, unknown> };
    },
    async relay(url, res) {
      const upstream = await firstValueFrom(http.get<Readable>(url, { responseType: 'stream', decompress: false }));
      res.writeHead(upstream.status, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') });
      await pipeline(upstream.data, res);
    },
  };
}

/** Every page a sync reads, `concurrency` at a time, each parsed (the floor's walk, through `client`). */
async function downloadAll(client: Client, baseUrl: string, concurrency: number): Promise<{ ms: number; cpuMs: number; licenses: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { licenses } = await walkLicensePages(baseUrl, concurrency, async (url) => {
    const { body, headers } = await client.bytes(url);
    return { count: (JSON.parse(body.toString('utf8')) as unknown[]).length, total: Number(headers['x-total-count']) };
  });
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, licenses };
}

function startRelay(client: Client, upstreamBase: string): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    client.relay(`${upstreamBase}${req.url}`, res).catch(() => res.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const probe = new Agent({ connections: 1, keepAliveTimeout: 10_000 });
async function sequential(url: string, count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await request(url, { headers, dispatcher: probe });
    await res.body.arrayBuffer();
    times.push(performance.now() - started);
  }
  return times;
}
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values });
const show = (s: ReturnType<typeof spread>, digits = 0) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;

async function main(): Promise<void> {
  console.log(`HTTP clients on ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${RUNS} round(s)`);
  const slow = await startChild('sandbox/jetbrains/cli.ts', ['--port', '0', '--dataset', '10k', '--latency', '25', '--max-concurrent', '8', '--cache-lists', 'true'], {}, /JetBrains simulator on (\S+) \(/);
  const fast = await startChild('sandbox/jetbrains/cli.ts', ['--port', '0', '--dataset', '10k', '--cache-lists', 'true'], {}, /JetBrains simulator on (\S+) \(/);
  const slowBase = slow.ready[1]!;
  const fastBase = fast.ready[1]!;
  await json(`${slowBase.replace(/\/api\/v1$/, '')}/__sim/dataset`, { method: 'PUT', body: { name: '100k', order: 'realistic' } });
  const clients = [undiciClient(), nestAxiosClient()];
  const results: Record<string, { syncMs: number[]; syncCpuMs: number[]; relayAddedP50Ms: number[]; relayCpuUsPerRequest: number[] }> = {};
  for (const c of clients) results[c.name] = { syncMs: [], syncCpuMs: [], relayAddedP50Ms: [], relayCpuUsPerRequest: [] };
  const page = '/customer/licenses?perPage=200';
  try {
    for (let round = 0; round < RUNS; round++) {
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      for (const client of order) {
        const sync = await downloadAll(client, slowBase, 8);
        const relay = await startRelay(client, fastBase);
        const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}${page}`;
        await sequential(relayUrl, 50); // warm up both connections
        const direct = median(await sequential(`${fastBase}${page}`, RELAYED, HEADERS));
        const cpu = process.cpuUsage();
        const relayed = median(await sequential(relayUrl, RELAYED));
        const used = process.cpuUsage(cpu);
        await new Promise((resolve) => relay.close(resolve));
        const r = results[client.name]!;
        r.syncMs.push(sync.ms);
        r.syncCpuMs.push(sync.cpuMs);
        r.relayAddedP50Ms.push(relayed - direct);
        r.relayCpuUsPerRequest.push((used.user + used.system) / RELAYED);
        console.log(`  round ${round + 1}, ${client.name}: sync ${sync.ms.toFixed(0)} ms (${sync.licenses} licenses, CPU ${sync.cpuMs.toFixed(0)} ms); relay +${(relayed - direct).toFixed(3)} ms p50, ${((used.user + used.system) / RELAYED).toFixed(0)} µs CPU a request`);
      }
    }
  } finally {
    await slow.stop();
    await fast.stop();
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, r]) => [
      name,
      { sync_ms: spread(r.syncMs), sync_cpu_ms: spread(r.syncCpuMs), relay_added_p50_ms: spread(r.relayAddedP50Ms), relay_cpu_us_per_request: spread(r.relayCpuUsPerRequest) },
    ]),
  );
  for (const [name, s] of Object.entries(summary)) {
    console.log(`${name}: sync ${show(s.sync_ms)} ms, CPU ${show(s.sync_cpu_ms)} ms; relay +${show(s.relay_added_p50_ms, 3)} ms p50, ${show(s.relay_cpu_us_per_request)} µs CPU a request`);
  }
  const [u, a] = [summary.undici!, summary['@nestjs/axios']!];
  console.log(
    `@nestjs/axios / undici: sync wall ${(a.sync_ms.median / u.sync_ms.median).toFixed(2)}x, sync CPU ${(a.sync_cpu_ms.median / u.sync_cpu_ms.median).toFixed(2)}x, ` +
      `relay CPU ${(a.relay_cpu_us_per_request.median / u.relay_cpu_us_per_request.median).toFixed(2)}x, relay added latency ${(a.relay_added_p50_ms.median / Math.max(0.001, u.relay_added_p50_ms.median)).toFixed(2)}x`,
  );
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'http-clients.json'), `${JSON.stringify({ at: new Date().toISOString(), load_average: loadavg(), node: process.version, summary }, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
