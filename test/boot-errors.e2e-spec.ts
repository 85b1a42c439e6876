import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { POSTGRES_URL, postgresEnabled } from './support/postgres';
import { tempDataDir, TEST_API_KEY, TEST_ENCRYPTION_KEY } from './support/hub-harness';

/**
 * The real entry point (src/main.ts) in its own process: a boot that cannot succeed exits 1 with
 * one line on stderr naming the variable to fix, never a stack trace.
 */
function boot(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '../src/main.ts')], {
      cwd: join(__dirname, '..'),
      env: { PATH: process.env.PATH, HUB_DATA_DIR: tempDataDir(), HUB_API_KEY: TEST_API_KEY, HUB_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, HUB_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the hub did not exit; stdout: ${stdout} stderr: ${stderr}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

function listenOn(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOn(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function expectOneLine(result: { code: number | null; stderr: string }, variable: RegExp) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(variable);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
}

describe('boot failures a person can fix', () => {
  it('port already taken: names PORT and HUB_HOST', async () => {
    const taken = createServer();
    const port = await listenOn(taken);
    try {
      const result = await boot({ PORT: String(port), HUB_HOST: '127.0.0.1' });
      expectOneLine(result, new RegExp(`127\\.0\\.0\\.1:${port}.*already in use.*PORT.*HUB_HOST`));
    } finally {
      taken.close();
    }
  }, 40_000);

  it('an invalid HUB_HOST is refused by the config check', async () => {
    // Configuration errors are a list, one line per wrong variable.
    const result = await boot({ HUB_HOST: 'http://x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Invalid configuration:\n {2}- HUB_HOST must be an address or host name/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 40_000);

  it('PostgreSQL unreachable: names HUB_DATABASE_URL, without the password', async () => {
    const port = await closedPort();
    const result = await boot({ HUB_DATABASE_URL: `postgres://hub:s3cret-pass@127.0.0.1:${port}/hub` });
    expectOneLine(result, new RegExp(`Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}.*connection refused.*HUB_DATABASE_URL`));
    expect(result.stderr + result.stdout).not.toContain('s3cret-pass');
  }, 40_000);

  it('PostgreSQL that never answers: gives up after the connect timeout and names HUB_DATABASE_URL', async () => {
    // Accepts the connection and says nothing, as a black-holed host or a non-PostgreSQL port would.
    const silent = createServer(() => undefined);
    const port = await listenOn(silent);
    try {
      const started = Date.now();
      const result = await boot({ HUB_DATABASE_URL: `postgres://hub:s3cret-pass@127.0.0.1:${port}/hub` });
      expectOneLine(result, /Cannot reach PostgreSQL: no answer within 10 s.*HUB_DATABASE_URL/);
      expect(Date.now() - started).toBeLessThan(25_000);
      expect(result.stderr + result.stdout).not.toContain('s3cret-pass');
    } finally {
      silent.close();
    }
  }, 40_000);

  (postgresEnabled() ? it : it.skip)('database missing: names HUB_DATABASE_URL', async () => {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/hub_missing_${Date.now().toString(36)}`;
    const result = await boot({ HUB_DATABASE_URL: url.toString() });
    expectOneLine(result, /database "hub_missing_[a-z0-9]+" does not exist.*HUB_DATABASE_URL/);
  }, 40_000);
});
