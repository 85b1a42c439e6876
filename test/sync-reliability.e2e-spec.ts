import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { JetbrainsSimulator, startJetbrainsSimulator } from '../sandbox/jetbrains/server';
import { capturedLogs, eventually, startHub, tempDataDir, TEST_API_KEY, TEST_ENCRYPTION_KEY, waitForLatestRun, walkUserIds } from './support/hub-harness';

const CREDENTIALS = { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN };

describe('sync reliability', () => {
  let sim: JetbrainsSimulator;
  afterEach(async () => sim?.close());

  it('keeps a client walking pages consistent while a sync swaps the snapshot', async () => {
    sim = await startJetbrainsSimulator({ dataset: 'tiny' });
    const hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl });
    try {
      const id = (await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS }).expect(201)).body.id;
      await waitForLatestRun(hub, id, 'succeeded');
      const before = await walkUserIds(hub, id);

      const first = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&limit=3`).expect(200);
      // Between two pages: one person leaves, two arrive (one before and one after the cursor).
      const licenses = sim.api.dataset.licenses;
      delete licenses.find((l) => l.licenseId === 'AAAAAAA006')!.assignee; // jcvd, on the next page
      licenses.find((l) => l.licenseId === 'AAAAAAA007')!.assignee = { type: 'USER', name: 'Aaron A', email: 'aaron@example.com' };
      licenses.find((l) => l.licenseId === 'AAAAAAA017')!.assignee = { type: 'USER', name: 'Zed Z', email: 'zed@example.com' };
      await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
      const swapped = await waitForLatestRun(hub, id, 'succeeded');
      expect(swapped.stats).toMatchObject({ users_added: 2, users_removed: 1 });

      const seen: string[] = first.body.result.map((u: { id: string }) => u.id);
      let cursor: string | null = first.body.next_cursor;
      while (cursor) {
        const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&limit=3&next_cursor=${encodeURIComponent(cursor)}`).expect(200);
        seen.push(...res.body.result.map((u: { id: string }) => u.id));
        cursor = res.body.next_cursor;
      }
      const after = await walkUserIds(hub, id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const user of before.filter((u) => after.includes(u))) expect(seen).toContain(user);
      expect(seen).toContain('zed@example.com');
    } finally {
      await hub.close();
    }
  });

  it('stops a run that outlasts HUB_SYNC_BUDGET and keeps the previous data', async () => {
    sim = await startJetbrainsSimulator({ dataset: '10k' });
    const hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_SYNC_BUDGET: '1s' });
    try {
      const id = (await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS }).expect(201)).body.id;
      await waitForLatestRun(hub, id, 'succeeded');
      const before = await walkUserIds(hub, id);
      sim.faults.update({ latencyMs: 400 });
      const started = Date.now();
      await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
      const failed = await waitForLatestRun(hub, id, 'failed');
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(failed.error.code).toBe('SYNC_BUDGET_EXCEEDED');
      sim.faults.update({ latencyMs: 0 });
      expect(await walkUserIds(hub, id)).toEqual(before);
      expect((await hub.get(`/integrated-accounts/${id}`).expect(200)).body).toMatchObject({ status: 'active', last_sync_status: 'failed' });
    } finally {
      await hub.close();
    }
  });

  it('honours Retry-After in HTTP-date form and reports rate limiting as 429 when retries run out', async () => {
    sim = await startJetbrainsSimulator({ dataset: 'tiny', faults: { retryAfterFormat: 'http-date', retryAfterSeconds: 1 } });
    const hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl });
    try {
      sim.faults.update({ script: ['429-retry-after'] });
      const started = Date.now();
      const first = await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS }).expect(201);
      // The HTTP-date has one-second resolution: the wait is between 0 and 1 s, never the backoff's guess.
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(capturedLogs.some((l) => /retry 1\/5 of GET \/api\/v1\/token after UPSTREAM_RATE_LIMITED.*\(Retry-After\)/.test(l))).toBe(true);

      await waitForLatestRun(hub, first.body.id, 'succeeded');
      sim.faults.update({ script: Array(6).fill('429'), retryAfterFormat: 'seconds' });
      const res = await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS }).expect(429);
      expect(res.body.details).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', upstream_status: 429 });
      expect(res.headers['retry-after']).toEqual(expect.any(String));
      sim.faults.update({ script: [] });
    } finally {
      await hub.close();
    }
  });

  it('replaces credentials with PATCH, testing them first', async () => {
    sim = await startJetbrainsSimulator({ dataset: 'tiny' });
    const hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl });
    try {
      const id = (await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS }).expect(201)).body.id;
      await waitForLatestRun(hub, id, 'succeeded');
      const bad = await hub.patch(`/integrated-accounts/${id}`, { credentials: { ...CREDENTIALS, api_key: 'wrong' } }).expect(400);
      expect(bad.body.details.code).toBe('UPSTREAM_AUTH_FAILED');
      const renamed = await hub.patch(`/integrated-accounts/${id}`, { name: 'Renamed', credentials: CREDENTIALS }).expect(200);
      expect(renamed.body).toMatchObject({ name: 'Renamed', status: 'active' });
      await hub.patch(`/integrated-accounts/${id}`, { credentials: { customer_code: 'x' } }).expect(400);
      await hub.patch(`/integrated-accounts/${id}`, { nope: 1 }).expect(400);
    } finally {
      await hub.close();
    }
  });

  it('loses nothing when the hub process is killed mid-sync', async () => {
    sim = await startJetbrainsSimulator({ dataset: '10k' });
    const env = {
      ...process.env,
      HUB_DATA_DIR: tempDataDir(),
      HUB_API_KEY: TEST_API_KEY,
      HUB_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      JETBRAINS_BASE_URL: sim.baseUrl,
    };
    const base = await spawnHub(env);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
    const json = async (response: Promise<Response>): Promise<any> => (await response).json();
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${base.port}${path}`, { ...init, headers: { Authorization: `Bearer ${TEST_API_KEY}`, 'Content-Type': 'application/json' } });
    let id: string;
    let before: string[];
    try {
      id = (await json(call('/integrated-accounts', { method: 'POST', body: JSON.stringify({ integration: 'jetbrains', credentials: CREDENTIALS }) }))).id;
      await eventually(async () => {
        const run = (await json(call(`/integrated-accounts/${id}/syncs`))).result[0];
        if (run.status !== 'succeeded') throw new Error(run.status);
      }, 60_000);
      before = await walkOver(call, id);
      sim.faults.update({ latencyMs: 300 });
      await call(`/integrated-accounts/${id}/sync`, { method: 'POST' });
      await eventually(async () => {
        const run = (await json(call(`/integrated-accounts/${id}/syncs`))).result[0];
        if (run.status !== 'running' || run.stats.progress.pages_done < 2) throw new Error('not mid-run yet');
      });
    } finally {
      base.child.kill('SIGKILL');
      await new Promise((resolve) => base.child.once('exit', resolve));
    }

    sim.faults.update({ latencyMs: 0 });
    const again = await spawnHub(env);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
    const json2 = async (response: Promise<Response>): Promise<any> => (await response).json();
    const call2 = (path: string) => fetch(`http://127.0.0.1:${again.port}${path}`, { headers: { Authorization: `Bearer ${TEST_API_KEY}` } });
    try {
      const runs = (await json2(call2(`/integrated-accounts/${id!}/syncs`))).result;
      expect(runs[0]).toMatchObject({ status: 'failed', error: { code: 'HUB_RESTARTED' } });
      expect(runs[1]).toMatchObject({ status: 'succeeded' });
      expect(await walkOver(call2, id!)).toEqual(before!);
    } finally {
      again.child.kill('SIGTERM');
      await new Promise((resolve) => again.child.once('exit', resolve));
    }
  }, 90_000);
});

async function walkOver(call: (path: string) => Promise<Response>, id: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : '';
    const page = (await (await call(`/unified/user-directory/users?integrated_account_id=${id}&limit=200${query}`)).json()) as { result: { id: string }[]; next_cursor: string | null };
    ids.push(...page.result.map((u) => u.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

function spawnHub(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'support/hub-process.ts')], {
    env,
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${output}`)));
  });
}
