import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { keyId } from '../src/accounts/credential-cipher';
import { freshSchema, postgresEnabled } from './support/postgres';
import { ATLASSIAN_CREDENTIALS, connectSynced, eventually, HubProcess, JETBRAINS_CREDENTIALS, tempDataDir, TEST_API_KEY, useFixture } from './support/fixture';
import { verify, WebhookReceiver } from './support/webhook-receiver';

/**
 * Rotating HUB_ENCRYPTION_KEY with real hub processes on one data dir: the old key as previous
 * (everything keeps working, values are re-sealed), then without it; and a boot with a key that
 * cannot open what is stored stops with one line instead of answering 500 later.
 */

const KEY_A = Buffer.alloc(32, 0xa1).toString('base64');
const KEY_B = Buffer.alloc(32, 0xb2).toString('base64');
const KEY_C = Buffer.alloc(32, 0xc3).toString('base64');
const kid = (key: string) => keyId(Buffer.from(key, 'base64'));

/** src/main.ts as shipped, for boots that must fail: exit code, stdout and stderr. */
function bootMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '../src/main.ts')], {
      cwd: join(__dirname, '..'),
      env: { PATH: process.env.PATH, HUB_API_KEY: TEST_API_KEY, HUB_LOG_LEVEL: 'warn', PORT: '0', HUB_HOST: '127.0.0.1', ...env },
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
async function post(hub: HubProcess, path: string, body: object, status: number): Promise<any> {
  const res = await hub.call(path, { method: 'POST', body: JSON.stringify(body) });
  const json = await res.json();
  expect({ status: res.status, json }).toMatchObject({ status });
  return json;
}

/** Sends a webhook.test to `endpoint` and waits until `receiver` has it; returns the message as received. */
async function testSend(hub: HubProcess, receiver: WebhookReceiver, endpoint: string) {
  const { message_id } = await post(hub, `/webhooks/${endpoint}/test`, {}, 202);
  return eventually(async () => {
    const got = receiver.received.find((r) => r.headers['webhook-id'] === message_id);
    if (!got) throw new Error(`webhook.test ${message_id} not received yet`);
    return got;
  });
}

/** Starts a manual sync of each account and waits until each new run succeeded. */
async function syncAll(hub: HubProcess, ids: string[]): Promise<void> {
  for (const id of ids) {
    const run = await post(hub, `/integrated-accounts/${id}/sync`, {}, 202);
    await eventually(async () => {
      const latest = await hub.json(`/integrated-accounts/${id}/syncs/${run.id}`);
      if (latest.status !== 'succeeded') throw new Error(`run ${run.id} of ${id} is ${latest.status}: ${latest.error_message ?? ''}`);
    }, 60_000);
  }
}

describe('encryption-key rotation (hub processes)', () => {
  const fx = useFixture();

  it('a new key with the old one as previous keeps every account and webhook working and re-seals; then the old key can go', async () => {
    const receiver = fx.track(await WebhookReceiver.start());
    const jetbrains = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const atlassian = await fx.atlassianSimulator();
    const base = { HUB_DATA_DIR: tempDataDir(), JETBRAINS_BASE_URL: jetbrains.baseUrl, ATLASSIAN_BASE_URL: atlassian.baseUrl };

    // 1. Key A: two accounts, a read key, a cursor in hand.
    const first = await fx.spawnHub({ ...base, HUB_ENCRYPTION_KEY: KEY_A });
    const ids = [
      (await post(first, '/integrated-accounts', { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }, 201)).id as string,
      (await post(first, '/integrated-accounts', { integration: 'atlassian', credentials: ATLASSIAN_CREDENTIALS }, 201)).id as string,
    ];
    await syncAll(first, ids);
    const readKey = (await post(first, '/api-keys', { name: 'reporting', scope: 'read' }, 201)).key as string;
    // Two webhook endpoints: one plain, one just rotated (its previous secret signs beside the new one for 24 h).
    const plain = await post(first, '/webhooks', { url: receiver.url, events: ['sync.succeeded'] }, 201);
    const rotating = await post(first, '/webhooks', { url: receiver.url, events: ['sync.succeeded'] }, 201);
    const rotated = await post(first, `/webhooks/${rotating.id}/rotate-secret`, {}, 200);
    const page = await first.json(`/unified/user-directory/users?integrated_account_id=${ids[0]}&limit=2`);
    expect(page.next_cursor).toEqual(expect.any(String));
    const nextPage = `/unified/user-directory/users?integrated_account_id=${ids[0]}&next_cursor=${encodeURIComponent(page.next_cursor)}`;
    expect(await first.json('/admin/encryption')).toEqual({
      current_key_id: kid(KEY_A), previous_key_ids: [], sealed_values: { [kid(KEY_A)]: 5 }, pending_reseal: 0,
      sealed_by_kind: { credentials: { [kid(KEY_A)]: 2 }, webhook_secrets: { [kid(KEY_A)]: 3 } },
    });
    await first.kill('SIGTERM');

    // 2. Key B, A as previous: values re-sealed in the background, everything still works meanwhile.
    const second = await fx.spawnHub({ ...base, HUB_ENCRYPTION_KEY: KEY_B, HUB_ENCRYPTION_KEYS_PREVIOUS: KEY_A });
    expect((await second.call(nextPage)).status).toBe(200);
    await eventually(async () => {
      expect(await second.json('/admin/encryption')).toEqual({
        current_key_id: kid(KEY_B), previous_key_ids: [kid(KEY_A)], sealed_values: { [kid(KEY_B)]: 5, [kid(KEY_A)]: 0 }, pending_reseal: 0,
        sealed_by_kind: { credentials: { [kid(KEY_B)]: 2, [kid(KEY_A)]: 0 }, webhook_secrets: { [kid(KEY_B)]: 3, [kid(KEY_A)]: 0 } },
      });
    });
    await syncAll(second, ids);
    for (const id of ids) expect((await second.json(`/integrated-accounts/${id}/test`, { method: 'POST' })).ok).toBe(true);
    const withReadKey = await fetch(`http://127.0.0.1:${second.port}/integrated-accounts`, { headers: { Authorization: `Bearer ${readKey}` } });
    expect(withReadKey.status).toBe(200);
    verify(plain.secret, await testSend(second, receiver, plain.id));
    await second.kill('SIGTERM');

    // 3. Key B alone: boots, syncs, tests; the API key (a hash, not keyed) still works; A's cursors are gone.
    const third = await fx.spawnHub({ ...base, HUB_ENCRYPTION_KEY: KEY_B });
    await syncAll(third, ids);
    const proxied = await third.call(`/proxy/customer/licenses?perPage=1&integrated_account_id=${ids[0]}`);
    expect(proxied.status).toBe(200);
    const readAgain = await fetch(`http://127.0.0.1:${third.port}/integrated-accounts`, { headers: { Authorization: `Bearer ${readKey}` } });
    expect(readAgain.status).toBe(200);
    const stale = await third.call(nextPage);
    expect(stale.status).toBe(400);
    expect(((await stale.json()) as { details: { code: string } }).details.code).toBe('INVALID_CURSOR');
    expect((await third.json('/admin/encryption')).sealed_values).toEqual({ [kid(KEY_B)]: 5 });
    // Signed with secrets re-sealed under B alone: both of the rotated endpoint's secrets still verify.
    verify(plain.secret, await testSend(third, receiver, plain.id));
    const both = await testSend(third, receiver, rotating.id);
    expect(String(both.headers['webhook-signature']).split(' ')).toHaveLength(2);
    verify(rotated.secret, both);
    verify(rotating.secret, both);
    await third.kill('SIGTERM');

    // 4. A key that opens nothing stored: the boot stops with one line naming B's id and the variable.
    const wrong = await bootMain({ ...base, HUB_ENCRYPTION_KEY: KEY_C });
    expect(wrong.code).toBe(1);
    const lines = wrong.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`encryption key id ${kid(KEY_B)}`);
    expect(lines[0]).toContain('credentials of 2 integrated account(s) and 3 webhook signing secret(s)');
    expect(lines[0]).toContain('HUB_ENCRYPTION_KEYS_PREVIOUS');
    expect(wrong.stderr + wrong.stdout).not.toContain(KEY_B);
    expect(wrong.stderr + wrong.stdout).not.toContain(KEY_C);
    expect(wrong.stdout).not.toMatch(/listening/);
  }, 180_000);

  it('a replica that lacks the key another one re-sealed with says so (ENCRYPTION_KEY_MISSING), not a bare 500', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const base = { HUB_DATA_DIR: tempDataDir(), JETBRAINS_BASE_URL: sim.baseUrl };
    const stale = await fx.hub({ ...base, HUB_ENCRYPTION_KEY: KEY_A });
    const { id } = await connectSynced(stale);
    const rotated = await fx.hub({ ...base, HUB_ENCRYPTION_KEY: KEY_B, HUB_ENCRYPTION_KEYS_PREVIOUS: KEY_A });
    await eventually(async () => expect((await rotated.get('/admin/encryption').expect(200)).body.pending_reseal).toBe(0));
    await rotated.post(`/integrated-accounts/${id}/test`).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the stale replica's account cache lives 1 s
    const refused = await stale.post(`/integrated-accounts/${id}/test`).expect(500);
    expect(refused.body.details).toEqual({ code: 'ENCRYPTION_KEY_MISSING', key_id: kid(KEY_B) });
    expect(refused.body.message).toMatch(new RegExp(`encryption key id ${kid(KEY_B)}.*HUB_ENCRYPTION_KEYS_PREVIOUS`));
  });

  (postgresEnabled() ? it : it.skip)('re-seals, reports and audits the same way on PostgreSQL', async () => {
    const schema = await freshSchema();
    fx.onClose(schema.drop);
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const base = { HUB_DATABASE_URL: schema.url, JETBRAINS_BASE_URL: sim.baseUrl };
    const before = await fx.hub({ ...base, HUB_ENCRYPTION_KEY: KEY_A });
    const ids = [(await connectSynced(before)).id, (await connectSynced(before)).id];
    await before.close();
    const after = await fx.hub({ ...base, HUB_ENCRYPTION_KEY: KEY_B, HUB_ENCRYPTION_KEYS_PREVIOUS: KEY_A });
    await eventually(async () => expect((await after.get('/admin/encryption').expect(200)).body.sealed_values).toEqual({ [kid(KEY_B)]: 2, [kid(KEY_A)]: 0 }));
    for (const id of ids) await after.post(`/integrated-accounts/${id}/test`).expect(200);
    const tested = (await after.get('/audit-events?action=integrated_account.tested').expect(200)).body.result;
    expect(tested.map((e: { target: { id: string } }) => e.target.id).sort()).toEqual([...ids].sort());
    const created = (await after.get('/audit-events?action=integrated_account.created&limit=1').expect(200)).body;
    expect(created.result[0]).toMatchObject({ status: 201, outcome: 'success', actor: { key_id: 'root' } });
    expect((await after.get(`/audit-events?action=integrated_account.created&next_cursor=${encodeURIComponent(created.next_cursor)}`).expect(200)).body.result).toHaveLength(1);
  }, 60_000);

  it('a wrong HUB_ENCRYPTION_KEYS_PREVIOUS stops the boot naming the variable, never the key', async () => {
    const result = await bootMain({ HUB_DATA_DIR: tempDataDir(), HUB_ENCRYPTION_KEY: KEY_A, HUB_ENCRYPTION_KEYS_PREVIOUS: `${KEY_B},not-a-key` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Invalid configuration:\n {2}- HUB_ENCRYPTION_KEYS_PREVIOUS must be .*entry 2 is not\n?$/);
    expect(result.stderr).not.toContain('not-a-key');
  }, 40_000);
});
