import { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureHttp } from '../../src/bootstrap';
import type { Env } from '../../src/config/hub-config';

export const TEST_API_KEY = 'test-hub-api-key-0123456789abcdef';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/** Every line the hub logged during the tests, to prove no credential ever reaches a log. */
export const capturedLogs: string[] = [];

class CapturingLogger implements LoggerService {
  private write(level: string, message: unknown, ...rest: unknown[]) {
    capturedLogs.push(`${level} ${String(message)} ${rest.map(String).join(' ')}`);
  }
  log(message: unknown, ...rest: unknown[]) { this.write('log', message, ...rest); }
  error(message: unknown, ...rest: unknown[]) { this.write('error', message, ...rest); }
  warn(message: unknown, ...rest: unknown[]) { this.write('warn', message, ...rest); }
  debug(message: unknown, ...rest: unknown[]) { this.write('debug', message, ...rest); }
  verbose(message: unknown, ...rest: unknown[]) { this.write('verbose', message, ...rest); }
}

/** supertest bound to an app with the hub API key set (`raw()`: without it). */
export interface HubClient {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  patch(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
  raw(): ReturnType<typeof request>;
}

export interface TestHub extends HubClient {
  app: INestApplication;
  dataDir: string;
  env: Env;
  close(): Promise<void>;
}

/** The hub's HTTP API of an initialised app, called with the test hub key. */
export function hubClient(app: INestApplication): HubClient {
  const server = app.getHttpServer();
  const auth = (t: request.Test) => t.set('Authorization', `Bearer ${TEST_API_KEY}`);
  return {
    get: (path) => auth(request(server).get(path)),
    post: (path, body) => auth(request(server).post(path)).send(body),
    patch: (path, body) => auth(request(server).patch(path)).send(body),
    delete: (path) => auth(request(server).delete(path)),
    raw: () => request(server),
  };
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'hub-test-'));
}

/** The app as main.ts builds it, on a temp data dir, wired to the given upstream base URL(s). */
export async function startHub(env: Env = {}): Promise<TestHub> {
  const dataDir = env.HUB_DATA_DIR ?? tempDataDir();
  const fullEnv: Env = {
    HUB_DATA_DIR: dataDir,
    HUB_API_KEY: TEST_API_KEY,
    HUB_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    HUB_FIRST_SYNC_WAIT: '10s',
    // Tests poll the hub faster than any client should; the rate limit has its own tests.
    HUB_RATE_LIMIT: '0',
    ...env,
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.create({ env: fullEnv })] })
    .setLogger(new CapturingLogger())
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false });
  configureHttp(app);
  await app.init();
  return { ...hubClient(app), app, dataDir, env: fullEnv, close: () => app.close() };
}

/** Polls until `check` passes or the time is up (for background syncs). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

/** Every user id of an account, walking pages of `limit`. */
export async function walkUserIds(hub: HubClient, accountId: string, limit = 200): Promise<string[]> {
  return walkIds(async (query) => (await hub.get(`/unified/user-directory/users?integrated_account_id=${accountId}&limit=${limit}${query}`).expect(200)).body);
}

export interface IdPage {
  result: { id: string }[];
  next_cursor: string | null;
}

/** Every id of a list, following next_cursor; `page` gets the query to append ('' or `&next_cursor=…`). */
export async function walkIds(page: (query: string) => Promise<IdPage>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const body = await page(cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : '');
    ids.push(...body.result.map((u) => u.id));
    cursor = body.next_cursor;
  } while (cursor);
  return ids;
}

/** Waits until the account's newest sync run has `status`, and returns it. */
export async function waitForLatestRun(hub: HubClient, accountId: string, status = 'succeeded') {
  return eventually(async () => {
    const latest = (await hub.get(`/integrated-accounts/${accountId}/syncs`).expect(200)).body.result[0];
    if (latest?.status !== status) throw new Error(`latest run is ${latest?.status}`);
    return latest;
  }, 60_000);
}
