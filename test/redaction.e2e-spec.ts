import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_ATL_KEY, SIM_ATL_ORG_ID } from '../sandbox/atlassian/dataset';
import { AtlassianSimulator, startAtlassianSimulator } from '../sandbox/atlassian/server';
import type { FaultKind } from '../sandbox/shared/faults';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { JetbrainsSimulator, startJetbrainsSimulator } from '../sandbox/jetbrains/server';
import { CredentialCipher } from '../src/accounts/credential-cipher';
import { AccountsRepository } from '../src/store/accounts.repository';
import { capturedLogs, startHub, TestHub, waitForLatestRun } from './support/hub-harness';

/**
 * An upstream that quotes the credentials it was sent in its error bodies (the simulators'
 * `500-echo` / `401-echo` faults). Nothing the hub returns, stores or logs may carry them: not the
 * key, not a piece of it, not the customer code.
 */
const CUSTOMER_CODE = String(SIM_CUSTOMER_CODE);
const JB_CREDENTIALS = { customer_code: CUSTOMER_CODE, api_key: SIM_ADMIN_TOKEN };
const JB_SECRETS = [SIM_ADMIN_TOKEN, SIM_ADMIN_TOKEN.slice(0, 12), CUSTOMER_CODE];
/** Six 500s exhaust the retries (the policy's six attempts); a 500 then a 401 retries once and stops. */
const FIVE_HUNDREDS: FaultKind[] = Array(6).fill('500-echo');

function expectClean(value: unknown, secrets: string[]): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

/** The upstream's text did reach the hub (so the test proves redaction, not that the text was dropped). */
function expectRedactedQuote(body: { message: string }): void {
  expect(body.message).toContain('[REDACTED]');
}

function retryLines(path: string): string[] {
  return capturedLogs.filter((line) => line.includes(`of GET ${path} after`));
}

describe('credentials quoted by an upstream are redacted (JetBrains)', () => {
  let sim: JetbrainsSimulator;
  let hub: TestHub;
  let accountId: string;

  beforeAll(async () => {
    sim = await startJetbrainsSimulator({ dataset: 'tiny' });
    hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl });
  });

  afterAll(async () => {
    await hub.close();
    await sim.close();
    // Every log line of this file: retry warnings, sync failures, connects.
    expect(capturedLogs.length).toBeGreaterThan(0);
    expectClean(capturedLogs.join('\n'), JB_SECRETS);
  });

  it('connect: a 500 then a 401 quoting the key give a clean 400, and the retry warning is redacted', async () => {
    sim.faults.update({ script: ['500-echo', '401-echo'] });
    const res = await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: JB_CREDENTIALS }).expect(400);
    expect(res.body.details).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', upstream_code: 'INVALID_TOKEN' });
    expectClean(res.body, JB_SECRETS);
    const [warning] = retryLines('/api/v1/token');
    expect(warning).toMatch(/retry 1\/5 .*JetBrains failed with 500: Lookup failed for key=\[REDACTED\] customer=\[REDACTED\] \(prefix \[REDACTED\]…\)/);
  });

  it('connect: 500s quoting the key until the retries run out give a clean 502', async () => {
    sim.faults.update({ script: [...FIVE_HUNDREDS] });
    const res = await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: JB_CREDENTIALS }).expect(502);
    expect(res.body.details.code).toBe('UPSTREAM_UNAVAILABLE');
    expectRedactedQuote(res.body);
    expectClean(res.body, JB_SECRETS);

    sim.faults.update({ script: [] });
    accountId = (await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: JB_CREDENTIALS, allow_duplicate: true }).expect(201)).body.id;
    await waitForLatestRun(hub, accountId, 'succeeded');
  });

  it('POST /integrated-accounts/:id/test: clean 502 and 400 bodies', async () => {
    sim.faults.update({ script: [...FIVE_HUNDREDS] });
    const unavailable = await hub.post(`/integrated-accounts/${accountId}/test`).expect(502);
    expectRedactedQuote(unavailable.body);
    expectClean(unavailable.body, JB_SECRETS);

    sim.faults.update({ script: ['401-echo'] });
    const rejected = await hub.post(`/integrated-accounts/${accountId}/test`).expect(400);
    expect(rejected.body.details.code).toBe('UPSTREAM_AUTH_FAILED');
    expectClean(rejected.body, JB_SECRETS);
    await hub.post(`/integrated-accounts/${accountId}/test`).expect(200);
  });

  it('source=live: clean 502 and 400 bodies', async () => {
    const live = `/unified/user-directory/users?integrated_account_id=${accountId}&limit=5&source=live`;
    sim.faults.update({ script: [...FIVE_HUNDREDS] });
    const unavailable = await hub.get(live).expect(502);
    expectRedactedQuote(unavailable.body);
    expectClean(unavailable.body, JB_SECRETS);

    sim.faults.update({ script: ['401-echo'] });
    const rejected = await hub.get(live).expect(400);
    expect(rejected.body.details).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', upstream_status: 401 });
    expectRedactedQuote(rejected.body);
    expectClean(rejected.body, JB_SECRETS);
  });

  it('a failed sync run stores and shows a redacted error_message', async () => {
    sim.faults.update({ script: [...FIVE_HUNDREDS] });
    await hub.post(`/integrated-accounts/${accountId}/sync`).expect(202);
    const failed = await waitForLatestRun(hub, accountId, 'failed');
    expect(failed.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expectRedactedQuote(failed.error);
    const runs = await hub.get(`/integrated-accounts/${accountId}/syncs`).expect(200);
    expectClean(runs.body, JB_SECRETS);
    // What is on disk: the credentials are sealed, the run error redacted.
    for (const file of ['hub.sqlite', 'hub.sqlite-wal']) {
      const path = join(hub.dataDir, file);
      if (existsSync(path)) expect(readFileSync(path).includes(SIM_ADMIN_TOKEN)).toBe(false);
    }
  });
});

describe('credentials that cannot travel in a header', () => {
  let sim: JetbrainsSimulator;
  let hub: TestHub;

  beforeAll(async () => {
    sim = await startJetbrainsSimulator({ dataset: 'tiny' });
    hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl });
  });

  afterAll(async () => {
    await hub.close();
    await sim.close();
  });

  it.each([
    ['a line break', 'sim-admin-token\r\nX-Evil: 1'],
    ['a non-ASCII letter', 'sim-admin-tökén-0123456789'],
    ['an emoji', 'sim-admin-token-😀'],
  ])('connect and PATCH refuse an api_key with %s at once, naming the field', async (_what, apiKey) => {
    sim.faults.resetStats();
    const started = Date.now();
    const connect = await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: { customer_code: CUSTOMER_CODE, api_key: apiKey } }).expect(400);
    expect(connect.body.details).toMatchObject({ code: 'VALIDATION_FAILED', fields: ['credentials.api_key'] });
    expect(connect.body.message).toContain('credentials.api_key (API token) contains a character that cannot be sent in an HTTP header');
    expect(JSON.stringify(connect.body)).not.toContain(apiKey);

    const id = (await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: JB_CREDENTIALS, allow_duplicate: true }).expect(201)).body.id;
    await waitForLatestRun(hub, id, 'succeeded');
    sim.faults.resetStats();
    const patch = await hub.patch(`/integrated-accounts/${id}`, { credentials: { customer_code: CUSTOMER_CODE, api_key: apiKey } }).expect(400);
    expect(patch.body.details).toMatchObject({ code: 'VALIDATION_FAILED', fields: ['credentials.api_key'] });
    expect(sim.faults.stats.requests).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The stored credentials are unchanged and still work.
    await hub.post(`/integrated-accounts/${id}/test`).expect(200);
  });

  it('stored credentials that cannot be sent (written before this check) fail at once with 400, never retried', async () => {
    const id = (await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: JB_CREDENTIALS, allow_duplicate: true }).expect(201)).body.id;
    await waitForLatestRun(hub, id, 'succeeded');
    const cipher = hub.app.get(CredentialCipher);
    const sealed = cipher.seal(JSON.stringify({ customer_code: CUSTOMER_CODE, api_key: 'legacy\nkey-0123456789' }), id);
    await hub.app.get(AccountsRepository).update(id, { credentials: sealed });
    sim.faults.resetStats();
    const before = capturedLogs.length;
    const started = Date.now();
    const res = await hub.post(`/integrated-accounts/${id}/test`).expect(400);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(res.body.details.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toContain('invalid X-Api-Key header');
    expect(res.body.message).not.toContain('could not be reached');
    expect(sim.faults.stats.requests).toBe(0);
    expect(capturedLogs.slice(before).filter((l) => l.includes('retry '))).toEqual([]);

    await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&source=live`).expect(400);
    await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
    const failed = await waitForLatestRun(hub, id, 'failed');
    expect(failed.error.code).toBe('VALIDATION_FAILED');
    expect(failed.stats.retries).toBe(0);
  });
});

describe('credentials quoted by an upstream are redacted (Atlassian)', () => {
  let sim: AtlassianSimulator;
  let hub: TestHub;
  const secrets = [SIM_ATL_KEY, SIM_ATL_KEY.slice(4, 16)];

  beforeAll(async () => {
    sim = await startAtlassianSimulator({ dataset: 'tiny' });
    hub = await startHub({ ATLASSIAN_BASE_URL: sim.baseUrl });
  });

  afterAll(async () => {
    await hub.close();
    await sim.close();
    expectClean(capturedLogs.join('\n'), secrets);
  });

  it('connect, live reads and retry warnings never show the bearer key', async () => {
    sim.faults.update({ script: ['500-echo', '401-echo'] });
    const connect = await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: SIM_ATL_KEY } }).expect(400);
    expectClean(connect.body, secrets);
    expect(retryLines('/admin/v1/orgs')[0]).toContain('Lookup failed for Authorization: Bearer [REDACTED]');

    sim.faults.update({ script: [] });
    const id = (await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: SIM_ATL_KEY }, allow_duplicate: true }).expect(201)).body.id;
    await waitForLatestRun(hub, id, 'succeeded');
    sim.faults.update({ script: ['401-echo'] });
    const live = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&limit=2&source=live`).expect(400);
    expectRedactedQuote(live.body);
    expectClean(live.body, secrets);
    // The org id is a credential field too: redacted wherever it would be quoted.
    expect(live.body.message).not.toContain(SIM_ATL_ORG_ID);
  });
});
