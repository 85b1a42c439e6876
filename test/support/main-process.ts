import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Env } from '../../src/config/hub-config';
import { tempDataDir, TEST_API_KEY, TEST_ENCRYPTION_KEY } from './hub-harness';

/**
 * The hub as shipped: src/main.ts in a process of its own (its logger, its signal handling), on
 * 127.0.0.1 and a free port. For what only the real entry point does: log formats, SIGTERM drain.
 */
export interface MainProcess {
  child: ChildProcess;
  port: number;
  dataDir: string;
  /** Every stdout and stderr line so far. */
  stdout: string[];
  stderr: string[];
  /** How the process ended (its exit code, or the signal that killed it) and when. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  call(path: string, init?: RequestInit): Promise<Response>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
  json(path: string, init?: RequestInit): Promise<any>;
  /** Sends `signal` (if still running) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const ROOT = join(__dirname, '../..');

export async function spawnMain(env: Env = {}, onClose: (teardown: () => Promise<unknown>) => void): Promise<MainProcess> {
  const dataDir = env.HUB_DATA_DIR ?? tempDataDir();
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src/main.ts')], {
    env: {
      ...process.env,
      PORT: '0',
      HUB_HOST: '127.0.0.1',
      HUB_DATA_DIR: dataDir,
      HUB_API_KEY: TEST_API_KEY,
      HUB_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      HUB_RATE_LIMIT: '0',
      ...env,
    },
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  lines(child.stdout!, stdout);
  lines(child.stderr!, stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  onClose(() => kill('SIGKILL'));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${stdout.join('\n')}\n${stderr.join('\n')}`)), 60_000);
    const look = () => {
      const match = stdout.map((line) => /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)).find(Boolean);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', () => setImmediate(look));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`hub exited with ${code}:\n${stdout.join('\n')}\n${stderr.join('\n')}`));
    });
  });
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${TEST_API_KEY}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    });
  return { child, port, dataDir, stdout, stderr, exited, call, json: async (path, init) => (await call(path, init)).json(), kill };
}

/** Splits a stream into lines as they come (the last partial line waits for its end). */
function lines(stream: NodeJS.ReadableStream, into: string[]): void {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    into.push(...parts);
  });
  stream.on('end', () => {
    if (rest) into.push(rest);
  });
}
