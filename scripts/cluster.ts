import { ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Backend, roundRobinProxy } from './cluster/round-robin-proxy';

/**
 * `npm run cluster -- --replicas 3`: a hub cluster on this machine, for trying cluster mode. N
 * replicas (HUB_ROLE=all by default) share this machine's PostgreSQL (their own schema) and Redis
 * (their own key prefix), each on its own port, behind a round-robin proxy on one port. Prints the
 * URL and the API key; Ctrl-C stops everything (each replica drains, see README "Run a cluster").
 *
 * Options: --replicas N (3), --port P (3000; the replicas take P+1…P+N; 0: any free ports),
 * --workers K (the last K replicas run HUB_ROLE=worker and stay out of the proxy), --data-dir D
 * (data/cluster: the generated keys and each replica's data dir), --ts (run src/main.ts through
 * ts-node instead of the build in dist/). Any HUB_* variable set in the environment is passed on.
 */
const ROOT = resolve(__dirname, '..');
const DEFAULT_DATABASE = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_SCHEMA = 'hub_cluster';

interface Options {
  replicas: number;
  port: number;
  workers: number;
  dataDir: string;
  ts: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { replicas: 3, port: 3000, workers: 0, dataDir: join(ROOT, 'data/cluster'), ts: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    const integer = (name: string, text: string, min: number, max: number) => {
      const n = Number(text);
      if (!Number.isInteger(n) || n < min || n > max) fail(`${name} must be an integer from ${min} to ${max} (got ${text})`);
      return n;
    };
    if (arg === '--replicas') options.replicas = integer('--replicas', value(), 1, 16);
    else if (arg === '--port') options.port = integer('--port', value(), 0, 65_000);
    else if (arg === '--workers') options.workers = integer('--workers', value(), 0, 15);
    else if (arg === '--data-dir') options.dataDir = resolve(value());
    else if (arg === '--ts') options.ts = true;
    else fail(`unknown option ${arg} (options: --replicas N, --port P, --workers K, --data-dir D, --ts)`);
  }
  if (options.workers >= options.replicas) fail('--workers must leave at least one replica serving the API');
  return options;
}

/** Replica processes started so far: a failure stops them too. */
const started: ChildProcess[] = [];

function fail(message: string): never {
  console.error(`cluster: ${message}`);
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  process.exit(2);
}

/** A key from the environment, else one generated once into the data dir (0600) and reused, so stored credentials stay readable. */
function secret(name: string, file: string, make: () => string): { value: string; from: string } {
  if (process.env[name]) return { value: process.env[name]!, from: 'the environment' };
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), from: file };
  writeFileSync(file, `${make()}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { value: readFileSync(file, 'utf8').trim(), from: `${file} (generated)` };
}

/** HUB_DATABASE_URL as given, or this machine's PostgreSQL with a schema of the cluster's own (created if missing). */
async function database(): Promise<string> {
  if (process.env.HUB_DATABASE_URL) return process.env.HUB_DATABASE_URL;
  const client = new Client({ connectionString: DEFAULT_DATABASE, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query(`create schema if not exists ${DEFAULT_SCHEMA}`);
  } catch (error) {
    fail(`PostgreSQL at ${DEFAULT_DATABASE} did not answer (${(error as Error).message}); set HUB_DATABASE_URL`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(DEFAULT_DATABASE);
  url.searchParams.set('options', `-c search_path=${DEFAULT_SCHEMA}`);
  return url.toString();
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const apiKey = secret('HUB_API_KEY', join(options.dataDir, 'api-key'), () => `hub-cluster-${randomBytes(24).toString('base64url')}`);
  const encryptionKey = secret('HUB_ENCRYPTION_KEY', join(options.dataDir, 'encryption-key'), () => randomBytes(32).toString('base64'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HUB_DATABASE_URL: await database(),
    HUB_REDIS_URL: process.env.HUB_REDIS_URL ?? 'redis://127.0.0.1:6379',
    HUB_REDIS_PREFIX: process.env.HUB_REDIS_PREFIX ?? 'hub-cluster',
    HUB_API_KEY: apiKey.value,
    HUB_ENCRYPTION_KEY: encryptionKey.value,
    HUB_HOST: '127.0.0.1',
  };
  const entry = options.ts ? ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/main.ts')] : [join(ROOT, 'dist/src/main.js')];
  if (!options.ts && !existsSync(entry[0]!)) fail('dist/src/main.js is missing: run npm run build (npm run cluster does), or pass --ts');

  const replicas: { backend: Backend; child: ChildProcess; role: string; exited: Promise<void> }[] = [];
  let stopping = false;
  let proxy: Server | undefined;
  for (let i = 0; i < options.replicas; i++) {
    const name = `replica-${i + 1}`;
    const role = i >= options.replicas - options.workers ? 'worker' : (process.env.HUB_ROLE ?? 'all');
    const child = spawn(process.execPath, entry, {
      cwd: ROOT,
      env: { ...env, PORT: String(options.port === 0 ? 0 : options.port + 1 + i), HUB_REPLICA_ID: name, HUB_ROLE: role, HUB_DATA_DIR: join(options.dataDir, name) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own: Ctrl-C in the terminal reaches this script only, which then sends
      // each replica one SIGTERM (a replica takes a second signal as "exit now", skipping its drain).
      detached: true,
    });
    started.push(child);
    const backend: Backend = { name, port: 0, up: false };
    prefixLines(child.stdout!, name, process.stdout, (line) => {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(line);
      if (match && !backend.port) backend.port = Number(match[1]);
    });
    prefixLines(child.stderr!, name, process.stderr);
    const exited = new Promise<void>((done) =>
      child.once('exit', (code, signal) => {
        backend.up = false;
        console.log(`[cluster] ${name} exited (${signal ?? code})`);
        done();
      }),
    );
    replicas.push({ backend, child, role, exited });
  }

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[cluster] ${signal}: stopping ${replicas.length} replicas (each drains its sync runs)`);
    proxy?.close();
    for (const { child } of replicas) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const bound = setTimeout(() => {
      for (const { child } of replicas) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, 60_000);
    await Promise.all(replicas.map((r) => r.exited));
    clearTimeout(bound);
    console.log('[cluster] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // Ready when each replica listens and its /health/ready answers 200.
  await Promise.all(
    replicas.map(async ({ backend, child }) => {
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) fail(`${backend.name} exited during boot (see its lines above)`);
        if (backend.port) {
          const ok = await fetch(`http://127.0.0.1:${backend.port}/health/ready`).then((r) => r.ok, () => false);
          if (ok) break;
        }
        if (Date.now() > deadline) fail(`${backend.name} was not ready within 90 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
      backend.up = true;
    }),
  );
  const served = replicas.filter((r) => r.role !== 'worker').map((r) => r.backend);
  proxy = roundRobinProxy(served);
  const listening = proxy;
  await new Promise<void>((ready, failed) => {
    listening.once('error', (error: NodeJS.ErrnoException) => failed(new Error(`the proxy could not listen on port ${options.port}: ${error.code}`)));
    listening.listen(options.port, '127.0.0.1', () => ready());
  });
  const url = `http://127.0.0.1:${(listening.address() as { port: number }).port}`;
  console.log(
    [
      '',
      `[cluster] ${replicas.length} replicas ready: ${replicas.map((r) => `${r.backend.name} (${r.role}) :${r.backend.port} pid ${r.child.pid}`).join(', ')}`,
      `[cluster] database ${redactUrl(env.HUB_DATABASE_URL!)}, Redis ${redactUrl(env.HUB_REDIS_URL!)} prefix ${env.HUB_REDIS_PREFIX}`,
      `[cluster] round-robin proxy on ${url}`,
      apiKey.from === 'the environment' ? '[cluster] API key: the one in HUB_API_KEY' : `[cluster] API key (in ${apiKey.from}): ${apiKey.value}`,
      `[cluster] encryption key from ${encryptionKey.from}`,
      `[cluster] try: curl -H "Authorization: Bearer <the API key>" ${url}/integrated-accounts   (Ctrl-C stops the cluster)`,
      '',
    ].join('\n'),
  );
}

/** A URL as it may be printed: without its password. */
function redactUrl(text: string): string {
  const url = new URL(text);
  if (url.password) url.password = '***';
  return url.toString();
}

function prefixLines(stream: NodeJS.ReadableStream, name: string, out: NodeJS.WritableStream, onLine?: (line: string) => void): void {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      onLine?.(line);
      out.write(`[${name}] ${line}\n`);
    }
  });
}

main().catch((error: Error) => fail(error.message));
