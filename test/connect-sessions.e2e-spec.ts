import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type request from 'supertest';
import { HUB_DATABASE } from '../src/store/database.token';
import type { HubDatabase } from '../src/store/database';
import { SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { postgresEnabled } from './support/postgres';
import { ATLASSIAN_CREDENTIALS, capturedLogs, JETBRAINS_CREDENTIALS, postgresEnv, TEST_API_KEY, TestHub, useFixture, waitForLatestRun } from './support/fixture';

/**
 * Connect links through HTTP, as an attacker holding a link would try them: the token reaches only
 * its three routes, creates at most one account (racing included), in the link's tenant, of the
 * allowed integrations; used, expired and unknown links say so; a tenant key cannot make links for
 * another tenant; creation and use are audited; the token is stored only as a hash.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const WRONG_TOKEN = 'wrong-token-never-valid-0123456789';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
type Json = any;

describe('connect links', () => {
  const fx = useFixture();
  let hub: TestHub;
  let acmeKey: string;
  let otherKey: string;
  let readKey: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    const jetbrains = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const atlassian = await fx.atlassianSimulator({ dataset: 'tiny' });
    hub = await fx.hub({ JETBRAINS_BASE_URL: jetbrains.baseUrl, ATLASSIAN_BASE_URL: atlassian.baseUrl });
    const issue = async (body: object) => (await hub.post('/api-keys', body).expect(201)).body.key as string;
    acmeKey = await issue({ name: 'acme admin', scope: 'admin', tenant_id: 'acme' });
    otherKey = await issue({ name: 'globex admin', scope: 'admin', tenant_id: 'globex' });
    readKey = await issue({ name: 'reader', scope: 'read' });
  });

  afterAll(() => {
    const logs = capturedLogs.join('\n');
    expect(tokens.length).toBeGreaterThan(3);
    for (const token of tokens) expect(logs).not.toContain(token);
  });

  const as = (test: request.Test, key: string) => test.set('Authorization', `Bearer ${key}`);
  async function link(body: object = { tenant_id: 'acme', integrations: ['jetbrains'] }, key = TEST_API_KEY): Promise<Json> {
    const res = await as(hub.raw().post('/connect-sessions'), key).send(body).expect(201);
    tokens.push(res.body.token);
    return res.body;
  }
  const current = (token: string) => as(hub.raw().get('/connect-sessions/current'), token);
  const testWith = (token: string, body: object) => as(hub.raw().post('/connect-sessions/current/test'), token).send(body);
  const connectWith = (token: string, body: object) => as(hub.raw().post('/connect-sessions/current/accounts'), token).send(body);
  const JB = { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS };
  const accountsOf = async (tenant: string) => ((await hub.get(`/integrated-accounts?limit=200&tenant_id=${tenant}`).expect(200)).body.result as Json[]);

  it('builds the link URL from HUB_PUBLIC_URL when set, not from the Host header a client sent', async () => {
    const jetbrains = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const behindProxy = await fx.hub({ JETBRAINS_BASE_URL: jetbrains.baseUrl, HUB_PUBLIC_URL: 'https://hub.example.com/base/' });
    const res = await as(behindProxy.raw().post('/connect-sessions'), TEST_API_KEY).set('Host', 'evil.example').send({ tenant_id: 'acme', integrations: ['jetbrains'] }).expect(201);
    tokens.push(res.body.token);
    expect(res.body.url).toBe(`https://hub.example.com/base/#/connect/${res.body.token}`);
    // Without it, a Host that is not a plain host name gives a path-only link rather than an echo.
    const odd = await as(hub.raw().post('/connect-sessions'), TEST_API_KEY).set('Host', 'evil.example/x?').send({ tenant_id: 'acme', integrations: ['jetbrains'] }).expect(201);
    tokens.push(odd.body.token);
    expect(odd.body.url).toBe(`/#/connect/${odd.body.token}`);
  });

  it('creates a link: a hubcs_ token shown once, a URL with the token in its fragment, stored hashed and audited', async () => {
    const before = Date.now();
    const created = await link();
    expect(created).toEqual({
      id: expect.any(String),
      token: expect.stringMatching(/^hubcs_[A-Za-z0-9_-]{43}$/),
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/#\/connect\/hubcs_/),
      expires_at: expect.any(String),
      tenant_id: 'acme',
      integrations: ['jetbrains'],
    });
    expect(created.url.endsWith(`/#/connect/${created.token}`)).toBe(true);
    const ttl = Date.parse(created.expires_at) - before;
    expect(ttl).toBeGreaterThan(1795_000);
    expect(ttl).toBeLessThanOrEqual(1801_000);
    const db = hub.app.get<HubDatabase>(HUB_DATABASE);
    const row = await db.selectFrom('connect_sessions').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const audit = (await hub.get('/audit-events?action=connect_session.created&limit=1').expect(200)).body.result[0];
    expect(audit).toMatchObject({ actor: { key_id: 'root' }, target: { type: 'connect_session', id: created.id }, details: { tenant_id: 'acme', integrations: ['jetbrains'] } });
    expect(JSON.stringify(audit)).not.toContain(created.token);
    // Every integration when none is named; expires_in in seconds.
    const all = await link({ tenant_id: 'acme', expires_in: 60 });
    expect(all.integrations.sort()).toEqual(['atlassian', 'jetbrains']);
    expect(Date.parse(all.expires_at) - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it.each([
    ['expires_in below 60', { tenant_id: 'acme', expires_in: 59 }, 400, 'VALIDATION_FAILED'],
    ['expires_in above a day', { tenant_id: 'acme', expires_in: 86_401 }, 400, 'VALIDATION_FAILED'],
    ['expires_in not a number', { tenant_id: 'acme', expires_in: '1800' }, 400, 'VALIDATION_FAILED'],
    ['an unknown integration', { tenant_id: 'acme', integrations: ['salesforce'] }, 400, 'UNKNOWN_INTEGRATION'],
    ['no integration at all', { tenant_id: 'acme', integrations: [] }, 400, 'VALIDATION_FAILED'],
    ['no tenant from a key without tenant', { integrations: ['jetbrains'] }, 400, 'VALIDATION_FAILED'],
    ['a malformed tenant', { tenant_id: 'not valid!' }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { tenant_id: 'acme', account_id: 'x' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a message that says what to fix', async (_case, body, status, code) => {
    const res = await hub.post('/connect-sessions', body).expect(status);
    expect(res.body.details.code).toBe(code);
    expect(res.body.message.length).toBeGreaterThan(10);
  });

  it('a tenant admin key makes links for its own tenant only; a read key none', async () => {
    const own = await link({ integrations: ['jetbrains'] }, acmeKey);
    expect(own.tenant_id).toBe('acme');
    expect((await link({ tenant_id: 'acme' }, acmeKey)).tenant_id).toBe('acme');
    const refused = await as(hub.raw().post('/connect-sessions'), acmeKey).send({ tenant_id: 'globex' }).expect(403);
    expect(refused.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'This API key belongs to tenant "acme": it creates connect links to that tenant only; leave out tenant_id or send "acme"',
      details: { code: 'FORBIDDEN_TENANT', tenant_id: 'acme' },
    });
    expect((await as(hub.raw().post('/connect-sessions'), readKey).send({ tenant_id: 'acme' }).expect(403)).body.details.code).toBe('FORBIDDEN_SCOPE');
    await hub.raw().post('/connect-sessions').send({ tenant_id: 'acme' }).expect(401);
  });

  it('lists links with their status and never their token; a tenant key sees its tenant\'s only, another tenant\'s cursor is refused', async () => {
    const acme = await link({ tenant_id: 'acme', integrations: ['jetbrains'] });
    const globex = await link({ tenant_id: 'globex' });
    const all: Json[] = [];
    for (let cursor: string | null = null, pages = 0; pages === 0 || cursor; pages++) {
      const page: Json = (await hub.get(`/connect-sessions?limit=2${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200)).body;
      all.push(...page.result);
      cursor = page.next_cursor;
    }
    expect(all.find((l) => l.id === acme.id)).toEqual({
      id: acme.id, tenant_id: 'acme', integrations: ['jetbrains'], status: 'active', created_by_key_id: 'root',
      created_at: expect.any(String), expires_at: acme.expires_at, account_id: null,
    });
    expect(JSON.stringify(all)).not.toContain('hubcs_');
    const acmeView: Json = (await as(hub.raw().get('/connect-sessions?limit=200'), acmeKey).expect(200)).body;
    expect(acmeView.result.length).toBeGreaterThan(0);
    expect(acmeView.result.every((l: Json) => l.tenant_id === 'acme')).toBe(true);
    expect(acmeView.result.some((l: Json) => l.id === globex.id)).toBe(false);
    const rootPage: Json = (await hub.get('/connect-sessions?limit=1').expect(200)).body;
    expect((await as(hub.raw().get(`/connect-sessions?next_cursor=${encodeURIComponent(rootPage.next_cursor)}`), acmeKey).expect(400)).body.details.code).toBe('INVALID_CURSOR');
    await as(hub.raw().get('/connect-sessions'), readKey).expect(403);
  });

  it('a withdrawn link is refused at once, says so, and cannot be withdrawn twice; another tenant\'s is 404; audited', async () => {
    const acme = await link({ tenant_id: 'acme', integrations: ['jetbrains'] });
    await current(acme.token).expect(200);
    expect((await as(hub.raw().delete(`/connect-sessions/${acme.id}`), otherKey).expect(404)).body.details.code).toBe('CONNECT_SESSION_NOT_FOUND');
    await as(hub.raw().delete(`/connect-sessions/${acme.id}`), readKey).expect(403);
    const revoked = (await as(hub.raw().delete(`/connect-sessions/${acme.id}`), acmeKey).expect(200)).body;
    expect(revoked).toMatchObject({ id: acme.id, status: 'revoked' });
    const refused = (await current(acme.token).expect(410)).body;
    expect(refused.details.code).toBe('CONNECT_SESSION_EXPIRED');
    expect(refused.message).toMatch(/withdrawn/);
    expect((await connectWith(acme.token, JB).expect(410)).body.details.code).toBe('CONNECT_SESSION_EXPIRED');
    expect((await hub.delete(`/connect-sessions/${acme.id}`).expect(409)).body).toMatchObject({ details: { code: 'CONNECT_SESSION_ENDED', status: 'revoked' } });
    expect((await hub.delete('/connect-sessions/nope').expect(404)).body.details.code).toBe('CONNECT_SESSION_NOT_FOUND');
    const audit = (await hub.get('/audit-events?action=connect_session.revoked&limit=5').expect(200)).body.result;
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ target: { type: 'connect_session', id: acme.id }, outcome: 'success' })]));
  });

  it('shows the link\'s tenant, end and only its integrations, as GET /integrations does', async () => {
    const created = await link();
    const res = await current(created.token).expect(200);
    const listed = (await hub.get('/integrations').expect(200)).body.result as Json[];
    expect(res.body).toEqual({ tenant_id: 'acme', expires_at: created.expires_at, integrations: [listed.find((i) => i.id === 'jetbrains')] });
  });

  describe('the token reaches nothing but its three routes', () => {
    let token: string;
    beforeAll(async () => {
      token = (await link()).token;
    });

    it.each([
      ['GET', '/integrations'],
      ['GET', '/integrated-accounts'],
      ['POST', '/integrated-accounts'],
      ['POST', '/integrated-accounts/test-credentials'],
      ['GET', '/unified/user-directory/people'],
      ['GET', '/unified/user-directory/users?integrated_account_id=x'],
      ['GET', '/proxy/customer/licenses?integrated_account_id=x'],
      ['GET', '/api-keys'],
      ['POST', '/api-keys'],
      ['GET', '/audit-events'],
      ['GET', '/webhooks'],
      ['GET', '/docs-json'],
      ['GET', '/docs'],
      ['DELETE', '/session'],
      ['POST', '/connect-sessions'],
      ['POST', '/connect-sessions/current'],
      ['GET', '/connect-sessions/current/accounts'],
      ['GET', '/connect-sessions/current/test'],
      ['POST', '/connect-sessions/current/accounts/x'],
      ['GET', '/connect-sessions/%63urrent'],
      ['GET', '/connect-sessions/current/..%2f..%2fintegrations'],
      ['GET', '/no-such-route'],
    ])('%s %s: 403 CONNECT_SESSION_SCOPE', async (method, path) => {
      const res = await as(hub.raw()[method.toLowerCase() as 'get'](path), token).send(method === 'GET' ? undefined : JB);
      expect([res.status, res.body.details?.code]).toEqual([403, 'CONNECT_SESSION_SCOPE']);
      expect(res.text).not.toContain('jetbrains"');
    });

    it('API keys and sessions cannot use the current routes', async () => {
      for (const key of [TEST_API_KEY, acmeKey]) {
        expect((await as(hub.raw().get('/connect-sessions/current'), key).expect(403)).body.details.code).toBe('CONNECT_SESSION_SCOPE');
        expect((await as(hub.raw().post('/connect-sessions/current/accounts'), key).send(JB).expect(403)).body.details.code).toBe('CONNECT_SESSION_SCOPE');
      }
    });
  });

  it('tests credentials of an allowed integration only, answering as test-credentials does', async () => {
    const { token, id } = await link();
    const ok = await testWith(token, JB).expect(200);
    const tested = (await hub.get('/audit-events?action=credentials.tested&limit=1').expect(200)).body.result[0];
    expect(tested).toMatchObject({ actor: { key_id: `connect_session:${id}`, name: 'connect link' }, tenant_id: 'acme', outcome: 'success', details: { integration: 'jetbrains' } });
    expect(ok.body).toMatchObject({ ok: true, integration: 'jetbrains', access: { organization: { id: String(SIM_CUSTOMER_CODE) } } });
    const wrong = { integration: 'jetbrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: WRONG_TOKEN } };
    const refused = await testWith(token, wrong).expect(400);
    expect(refused.body).toEqual((await hub.post('/integrated-accounts/test-credentials', wrong).expect(400)).body);
    expect(refused.text).not.toContain(WRONG_TOKEN);
    const other = await testWith(token, { integration: 'atlassian', credentials: ATLASSIAN_CREDENTIALS }).expect(403);
    expect(other.body).toMatchObject({ details: { code: 'INTEGRATION_NOT_ALLOWED', allowed: ['jetbrains'] } });
    expect(other.body.message).toBe('This connect link allows only jetbrains, not "atlassian"');
    // Testing does not use the link up.
    await current(token).expect(200);
  });

  it('creates one account in the link\'s tenant, says nothing else, and is then used up', async () => {
    const created = await link();
    const before = (await accountsOf('acme')).length;
    // The body cannot choose another tenant: refused, nothing created, the link still usable.
    expect((await connectWith(created.token, { ...JB, tenant_id: 'globex' }).expect(400)).body.message).toMatch(/tenant_id should not exist/);
    expect((await connectWith(created.token, { ...JB, allow_duplicate: true }).expect(400)).body.message).toMatch(/allow_duplicate should not exist/);
    // Wrong credentials: the connect's own error; the link survives it.
    const wrong = await connectWith(created.token, { integration: 'jetbrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: WRONG_TOKEN } }).expect(400);
    expect(wrong.body.details.code).toBe('UPSTREAM_AUTH_FAILED');
    expect((await connectWith(created.token, { integration: 'atlassian', credentials: ATLASSIAN_CREDENTIALS }).expect(403)).body.details.code).toBe('INTEGRATION_NOT_ALLOWED');
    expect(await accountsOf('acme')).toHaveLength(before);

    const res = await connectWith(created.token, { ...JB, name: 'Acme via link' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), integration: 'jetbrains', name: 'Acme via link', tenant_id: 'acme', status: 'active' });
    const account = (await hub.get(`/integrated-accounts/${res.body.id}`).expect(200)).body;
    expect(account.tenant_id).toBe('acme');
    await waitForLatestRun(hub, res.body.id);
    // The other tenant does not see it; acme's key does.
    await as(hub.raw().get(`/integrated-accounts/${res.body.id}`), otherKey).expect(404);
    await as(hub.raw().get(`/integrated-accounts/${res.body.id}`), acmeKey).expect(200);

    for (const call of [() => current(created.token), () => testWith(created.token, JB), () => connectWith(created.token, JB)]) {
      const used = await call().expect(410);
      expect(used.body.details.code).toBe('CONNECT_SESSION_USED');
      expect(used.body.message).toMatch(/used already/);
    }
    expect(await accountsOf('acme')).toHaveLength(before + 1);

    const audit = (await hub.get('/audit-events?action=connect_session.used&limit=5').expect(200)).body.result as Json[];
    expect(audit[0]).toMatchObject({
      actor: { key_id: `connect_session:${created.id}`, name: 'connect link' },
      tenant_id: 'acme',
      target: { type: 'integrated_account', id: res.body.id },
      outcome: 'success',
      status: 201,
      details: { integration: 'jetbrains' },
    });
    expect(audit.filter((row) => row.outcome === 'failure').length).toBeGreaterThan(0);
  }, 90_000);

  it('two account creations racing with one token: exactly one 201', async () => {
    for (let round = 0; round < 3; round++) {
      const { token } = await link({ tenant_id: `race-${round}`, integrations: ['jetbrains'] });
      const results = await Promise.all([connectWith(token, JB), connectWith(token, JB), connectWith(token, JB)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 410, 410]);
      for (const r of results.filter((x) => x.status === 410)) expect(r.body.details.code).toBe('CONNECT_SESSION_USED');
      expect(await accountsOf(`race-${round}`)).toHaveLength(1);
    }
  }, 90_000);

  it('an organization the tenant has already: 409 without naming the account', async () => {
    const { token } = await link({ tenant_id: 'dup', integrations: ['jetbrains'] });
    const existing = (await hub.post('/integrated-accounts', { ...JB, tenant_id: 'dup' }).expect(201)).body.id;
    const res = await connectWith(token, JB).expect(409);
    expect(res.body.details).toEqual({ code: 'ACCOUNT_ALREADY_CONNECTED' });
    expect(res.text).not.toContain(existing);
    // Still usable (nothing was created): the link is not burnt by the refusal.
    await current(token).expect(200);
  });

  it('an expired link answers 410 CONNECT_SESSION_EXPIRED; an unknown one 404 CONNECT_SESSION_NOT_FOUND', async () => {
    const created = await link();
    const db = hub.app.get<HubDatabase>(HUB_DATABASE);
    await db.updateTable('connect_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', created.id).execute();
    for (const call of [() => current(created.token), () => testWith(created.token, JB), () => connectWith(created.token, JB)]) {
      const res = await call().expect(410);
      expect(res.body.details.code).toBe('CONNECT_SESSION_EXPIRED');
      expect(res.body.message).toMatch(/expired at/);
    }
    const unknown = await current(`hubcs_${'A'.repeat(43)}`).expect(404);
    expect(unknown.body.details.code).toBe('CONNECT_SESSION_NOT_FOUND');
    expect(await accountsOf('acme')).not.toContainEqual(expect.objectContaining({ name: 'expired' }));
  });

  (postgresEnabled() ? describe : describe.skip)('on PostgreSQL, two replicas', () => {
    it('a link made on one is used once across both, racing included; a session ends on both when its key is revoked', async () => {
      const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
      const env = { ...(await postgresEnv(fx)), JETBRAINS_BASE_URL: sim.baseUrl };
      const one = await fx.hub(env);
      const two = await fx.hub(env);
      const made = (await one.post('/connect-sessions', { tenant_id: 'pg-acme' }).expect(201)).body;
      tokens.push(made.token);
      const post = (replica: TestHub) => as(replica.raw().post('/connect-sessions/current/accounts'), made.token).send(JB);
      const results = await Promise.all([post(one), post(two), post(one), post(two)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 410, 410, 410]);
      expect((await two.get('/integrated-accounts?tenant_id=pg-acme').expect(200)).body.result).toHaveLength(1);
      await waitForLatestRun(one, results.find((r) => r.status === 201)!.body.id);

      const key = (await one.post('/api-keys', { name: 'pg', scope: 'read' }).expect(201)).body;
      const signIn = await two.raw().post('/session').send({ api_key: key.key }).expect(201);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      tokens.push(cookie.slice('hub_session='.length));
      await one.raw().get('/integrations').set('Cookie', cookie).expect(200);
      await one.delete(`/api-keys/${key.id}`).expect(200);
      await two.raw().get('/integrations').set('Cookie', cookie).expect(401);
    }, 90_000);
  });

  it('keeps no token in the database file', async () => {
    for (const file of ['hub.sqlite', 'hub.sqlite-wal']) {
      const path = join(hub.dataDir, file);
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      for (const token of tokens) expect(bytes.includes(token)).toBe(false);
    }
  });
});
