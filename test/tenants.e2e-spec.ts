import type request from 'supertest';
import type { JbLicense } from '../src/connectors/jetbrains/jetbrains.types';
import { buildDataset } from '../sandbox/jetbrains/dataset';
import type { JetbrainsSimulator } from '../sandbox/jetbrains/server';
import { PRODUCTS } from '../sandbox/jetbrains/products';
import { ATLASSIAN_CREDENTIALS, JETBRAINS_CREDENTIALS, postgresEnv, TEST_API_KEY, TestHub, useFixture, waitForLatestRun } from './support/fixture';
import { postgresEnabled } from './support/postgres';

/**
 * Tenants through HTTP. Two tenants hold the same JetBrains and Atlassian organizations (connected
 * once in each, which the duplicate rule allows across tenants). For every route and each caller
 * ({other tenant's key, same tenant's key, untenanted read key, root key}), the status; and that a
 * key of the other tenant learns nothing: its 404s are byte for byte those of an id that does not
 * exist, and its 200s carry no id, name or person of the other tenant.
 */

const A = 'tenant-a';
const B = 'tenant-b';
const MISSING = '01MISSINGACCOUNT000000000';
/** Names only tenant B's accounts carry, to find in a body that should not hold them. */
const B_NAME = 'Beta Corp JetBrains (secret-b)';
/** People only one tenant's JetBrains snapshot holds. */
const B_ONLY = 'only.in.b@example.com';
const A_ONLY = 'only.in.a@example.com';
/** A license the dataset has allocated: the simulator refuses to assign it (400), proving the write got through. */
const ASSIGN = { licenseId: 'AAAAAAA001', contact: { firstName: 'A', lastName: 'B', email: 'a@b.example' }, includeOfflineActivationCode: false, sendEmail: false };

type Who = 'other' | 'same' | 'read' | 'root';
const CALLERS: Who[] = ['other', 'same', 'read', 'root'];

function as(test: request.Test, key: string): request.Test {
  return test.set('Authorization', `Bearer ${key}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
type Json = any;

describe('tenants', () => {
  const fx = useFixture();
  let hub: TestHub;
  let jetbrains: JetbrainsSimulator;
  const keys: Record<Who | 'adminAll', string> = { other: '', same: '', read: '', root: TEST_API_KEY, adminAll: '' };
  /** Tenant B's accounts: the JetBrains one the matrix reads, its Atlassian one, one to sync, one to delete per caller. */
  const b: { jb: string; atl: string; sync: string; victims: Record<Who, string> } = { jb: '', atl: '', sync: '', victims: {} as Record<Who, string> };
  const a: { jb: string; atl: string } = { jb: '', atl: '' };
  /** Webhook endpoints: tenant B's the matrix reads, one to delete per caller; tenant A's two; an untenanted one. */
  const hooks: { b: string; victims: Record<Who, string>; a: string[]; untenanted: string } = { b: '', victims: {} as Record<Who, string>, a: [], untenanted: '' };
  const MISSING_HOOK = 'ep_01MISSINGENDPOINT00000000';
  let shared: string;
  let userId: string;
  let runId: string;

  const connectAs = (key: string, body: object) => as(hub.raw().post('/integrated-accounts'), key).send(body);
  const jetbrainsWith = (email: string) => {
    const dataset = buildDataset('tiny');
    const license = (id: string, code: string, to: string): JbLicense => ({
      ...dataset.licenses.find((l) => l.assignee)!,
      licenseId: id,
      product: PRODUCTS.find((p) => p.code === code)!,
      assignee: { type: 'USER', email: to, name: 'Tenant Person' },
    });
    dataset.licenses = [...dataset.licenses, license('TSHARED001', 'II', shared), license('TONLY00001', 'GO', email)];
    jetbrains.api.dataset = dataset;
    jetbrains.api.clearCache();
  };
  /** Every string of tenant B a caller of tenant A must never see. */
  const bSecrets = () => [b.jb, b.atl, b.sync, ...Object.values(b.victims), hooks.b, ...Object.values(hooks.victims), B_NAME, B_ONLY, B];

  beforeAll(async () => {
    const atlassian = await fx.atlassianSimulator({ dataset: 'tiny' });
    jetbrains = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    // Tenant keys' webhook endpoints target 127.0.0.1 here: allowed for every endpoint in this spec.
    hub = await fx.hub({ ATLASSIAN_BASE_URL: atlassian.baseUrl, JETBRAINS_BASE_URL: jetbrains.baseUrl, HUB_WEBHOOK_PRIVATE_TARGETS: 'all' });
    const issue = async (body: object) => (await hub.post('/api-keys', body).expect(201)).body;
    const keyA = await issue({ name: 'tenant A admin', scope: 'admin', tenant_id: A });
    expect(keyA.tenant_id).toBe(A);
    keys.other = keyA.key;
    keys.same = (await issue({ name: 'tenant B admin', scope: 'admin', tenant_id: B })).key;
    keys.read = (await issue({ name: 'everyone read', scope: 'read' })).key;
    keys.adminAll = (await issue({ name: 'everyone admin', scope: 'admin' })).key;

    // Tenant B: Atlassian, then JetBrains with the Atlassian person and someone only B knows.
    b.atl = (await connectAs(keys.same, { integration: 'atlassian', credentials: ATLASSIAN_CREDENTIALS, allow_duplicate: false }).expect(201)).body.id;
    await waitForLatestRun(hub, b.atl);
    const atlUsers = (await hub.get(`/unified/user-directory/users?integrated_account_id=${b.atl}&limit=200`).expect(200)).body.result as Json[];
    shared = atlUsers.find((u) => u.email && u.account_type === 'atlassian' && u.licenses.length > 0).email.toLowerCase();
    jetbrainsWith(B_ONLY);
    const bJb = await connectAs(keys.same, { integration: 'jetbrains', name: B_NAME, credentials: JETBRAINS_CREDENTIALS, allow_duplicate: false }).expect(201);
    expect(bJb.body.tenant_id).toBe(B);
    b.jb = bJb.body.id;
    runId = (await waitForLatestRun(hub, b.jb)).id;
    userId = (await hub.get(`/unified/user-directory/users?integrated_account_id=${b.jb}&limit=1`).expect(200)).body.result[0].id;

    // Tenant A: the same two organizations, without allow_duplicate: tenant B's are invisible to it.
    jetbrainsWith(A_ONLY);
    a.jb = (await connectAs(keys.other, { integration: 'jetbrains', name: 'Alpha JetBrains', credentials: JETBRAINS_CREDENTIALS, allow_duplicate: false }).expect(201)).body.id;
    a.atl = (await connectAs(keys.other, { integration: 'atlassian', credentials: ATLASSIAN_CREDENTIALS, allow_duplicate: false }).expect(201)).body.id;
    await waitForLatestRun(hub, a.jb);
    await waitForLatestRun(hub, a.atl);

    const more = { integration: 'jetbrains', name: B_NAME, credentials: JETBRAINS_CREDENTIALS, allow_duplicate: true };
    b.sync = (await connectAs(keys.same, more).expect(201)).body.id;
    for (const who of CALLERS) b.victims[who] = (await connectAs(keys.same, more).expect(201)).body.id;
    await waitForLatestRun(hub, b.sync);

    const hook = (key: string, body: object = {}) => as(hub.raw().post('/webhooks'), key).send({ url: 'http://127.0.0.1:9/hook', events: ['sync.failed'], ...body });
    const ofB = (await hook(keys.same, { description: B_NAME }).expect(201)).body;
    expect(ofB.tenant_id).toBe(B);
    hooks.b = ofB.id;
    for (const who of CALLERS) hooks.victims[who] = (await hook(keys.same, { description: B_NAME }).expect(201)).body.id;
    for (let i = 0; i < 2; i++) hooks.a.push((await hook(keys.other).expect(201)).body.id);
    hooks.untenanted = (await hook(keys.root, { description: 'hub-wide' }).expect(201)).body.id;
  });

  /**
   * A route as a function of the caller's key and the id it targets: a tenant-B account (b.jb unless
   * `target` says otherwise, per caller) or MISSING, for the comparison.
   */
  type Route = [string, (key: string, id: string) => request.Test, number[], ((who: Who) => string)?];
  const get = (path: (id: string) => string) => (key: string, id: string) => as(hub.raw().get(path(id)), key);
  const unified = (path: string, extra = '') => get((id) => `/unified/user-directory/${path}?integrated_account_id=${id}${extra}`);
  const OK = [404, 200, 200, 200];
  const WRITE = (status: number) => [404, status, 403, status];

  // Statuses per caller, in CALLERS' order: other tenant, same tenant, untenanted read, root.
  const ACCOUNT_ROUTES: Route[] = [
    ['GET /integrated-accounts/:id', get((id) => `/integrated-accounts/${id}`), OK],
    ['PATCH /integrated-accounts/:id', (key, id) => as(hub.raw().patch(`/integrated-accounts/${id}`), key).send({ name: B_NAME }), WRITE(200)],
    ['DELETE /integrated-accounts/:id', (key, id) => as(hub.raw().delete(`/integrated-accounts/${id}`), key), WRITE(200), (who) => b.victims[who]],
    ['POST /integrated-accounts/:id/test', (key, id) => as(hub.raw().post(`/integrated-accounts/${id}/test`), key), WRITE(200)],
    ['POST /integrated-accounts/:id/sync', (key, id) => as(hub.raw().post(`/integrated-accounts/${id}/sync`), key), WRITE(202), () => b.sync],
    ['GET /integrated-accounts/:id/syncs', get((id) => `/integrated-accounts/${id}/syncs`), OK],
    ['GET /integrated-accounts/:id/syncs/:runId', get((id) => `/integrated-accounts/${id}/syncs/${runId}`), OK],
    ['GET /integrated-accounts/:id/seat-prices', get((id) => `/integrated-accounts/${id}/seat-prices`), OK],
    [
      'PUT /integrated-accounts/:id/seat-prices',
      (key, id) => as(hub.raw().put(`/integrated-accounts/${id}/seat-prices`), key).send({ currency: 'EUR', prices: { II: { amount: 10, per: 'month' } } }),
      WRITE(200),
    ],
    ['GET users', unified('users'), OK],
    ['GET users (live)', unified('users', '&source=live&limit=2'), OK],
    ['GET users/:id', (key, id) => as(hub.raw().get(`/unified/user-directory/users/${encodeURIComponent(userId)}?integrated_account_id=${id}`), key), OK],
    ['GET groups', unified('groups'), OK],
    ['GET licenses', unified('licenses'), OK],
    ['GET reclaimable-seats', unified('reclaimable-seats'), OK],
    ['GET changes', unified('changes'), OK],
    ['proxy GET', get((id) => `/proxy/customer/licenses?perPage=2&integrated_account_id=${id}`), OK],
    ['proxy POST', (key, id) => as(hub.raw().post(`/proxy/customer/licenses/assign?integrated_account_id=${id}`), key).send(ASSIGN), WRITE(400)],
  ];

  describe.each(ACCOUNT_ROUTES)('%s on a tenant-B account', (_route, call, statuses, target) => {
    it.each(CALLERS)('caller: %s', async (who) => {
      const requested = target ? target(who) : b.jb;
      const res = await call(keys[who], requested);
      const expected = statuses[CALLERS.indexOf(who)]!;
      if (res.status !== expected) throw new Error(`${who}: expected ${expected}, got ${res.status} ${res.text.slice(0, 300)}`);
      if (expected === 403) expect(res.body.details).toMatchObject({ code: 'FORBIDDEN_SCOPE' });
      if (who !== 'other') return;
      // Exactly the answer for an id that never existed (the id each echoes is the caller's own).
      const missing = await call(keys.other, MISSING);
      expect(missing.status).toBe(404);
      expect(res.text.split(requested).join('<id>')).toBe(missing.text.split(MISSING).join('<id>'));
      expect(res.body.details).toEqual({ code: 'ACCOUNT_NOT_FOUND' });
      for (const secret of bSecrets().filter((s) => s !== requested)) expect(res.text).not.toContain(secret);
    });
  });

  // The same matrix for webhook endpoints: they belong to a tenant as accounts do.
  const hookGet = (path: (id: string) => string) => (key: string, id: string) => as(hub.raw().get(path(id)), key);
  const WEBHOOK_ROUTES: Route[] = [
    ['GET /webhooks/:id', hookGet((id) => `/webhooks/${id}`), OK],
    ['PATCH /webhooks/:id', (key, id) => as(hub.raw().patch(`/webhooks/${id}`), key).send({ description: B_NAME, events: ['sync.failed'] }), WRITE(200)],
    ['DELETE /webhooks/:id', (key, id) => as(hub.raw().delete(`/webhooks/${id}`), key), WRITE(200), (who) => hooks.victims[who]],
    ['POST /webhooks/:id/test', (key, id) => as(hub.raw().post(`/webhooks/${id}/test`), key), WRITE(202)],
    ['POST /webhooks/:id/rotate-secret', (key, id) => as(hub.raw().post(`/webhooks/${id}/rotate-secret`), key), WRITE(200)],
    ['GET /webhooks/:id/deliveries', hookGet((id) => `/webhooks/${id}/deliveries`), OK],
  ];

  describe.each(WEBHOOK_ROUTES)('%s on a tenant-B endpoint', (_route, call, statuses, target) => {
    it.each(CALLERS)('caller: %s', async (who) => {
      const requested = target ? target(who) : hooks.b;
      const res = await call(keys[who], requested);
      const expected = statuses[CALLERS.indexOf(who)]!;
      if (res.status !== expected) throw new Error(`${who}: expected ${expected}, got ${res.status} ${res.text.slice(0, 300)}`);
      if (expected === 403) expect(res.body.details).toMatchObject({ code: 'FORBIDDEN_SCOPE' });
      if (who !== 'other') return;
      const missing = await call(keys.other, MISSING_HOOK);
      expect(missing.status).toBe(404);
      expect(res.text.split(requested).join('<id>')).toBe(missing.text.split(MISSING_HOOK).join('<id>'));
      expect(res.body.details).toEqual({ code: 'WEBHOOK_NOT_FOUND' });
      for (const secret of bSecrets().filter((s) => s !== requested)) expect(res.text).not.toContain(secret);
    });
  });

  describe('webhook endpoints without an id', () => {
    const list = async (key: string, query = '') =>
      ((await as(hub.raw().get(`/webhooks?limit=200${query}`), key).expect(200)).body.result as Json[]).map((x) => [x.id, x.tenant_id]);

    it('GET /webhooks lists the key\'s tenant\'s endpoints only; keys without tenant see all, and may filter', async () => {
      expect(await list(keys.other)).toEqual(hooks.a.map((id) => [id, A]));
      const text = (await as(hub.raw().get('/webhooks?limit=200'), keys.other).expect(200)).text;
      for (const secret of [...bSecrets(), hooks.untenanted, 'hub-wide']) expect(text).not.toContain(secret);
      expect(await list(keys.other, `&tenant_id=${B}`)).toEqual([]);
      expect((await list(keys.same)).map(([id]) => id)).toContain(hooks.b);
      expect((await list(keys.same)).every(([, t]) => t === B)).toBe(true);
      const all = (await list(keys.read)).map(([id]) => id);
      expect(all).toEqual(expect.arrayContaining([...hooks.a, hooks.b, hooks.untenanted]));
      expect(await list(keys.root, `&tenant_id=${A}`)).toEqual(hooks.a.map((id) => [id, A]));
      await hub.get('/webhooks?tenant_id=no%20spaces').expect(400);
    });

    it('POST /webhooks: a tenant key adds endpoints to its own tenant only; another tenant_id is 403; read keys 403', async () => {
      const body = { url: 'http://127.0.0.1:9/more', events: ['*'] };
      const own = await as(hub.raw().post('/webhooks'), keys.other).send({ ...body, tenant_id: A }).expect(201);
      expect(own.body.tenant_id).toBe(A);
      const refused = await as(hub.raw().post('/webhooks'), keys.other).send({ ...body, tenant_id: B }).expect(403);
      expect(refused.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: `This API key belongs to tenant "${A}": it adds webhook endpoints to that tenant only; leave out tenant_id or send "${A}"`,
        details: { code: 'FORBIDDEN_TENANT', tenant_id: A },
      });
      await as(hub.raw().post('/webhooks'), keys.read).send(body).expect(403);
      expect((await as(hub.raw().post('/webhooks'), keys.adminAll).send({ ...body, tenant_id: 'tenant-c' }).expect(201)).body.tenant_id).toBe('tenant-c');
      await as(hub.raw().post('/webhooks'), keys.root).send({ ...body, tenant_id: 'not valid!' }).expect(400);
      // PATCH does not move an endpoint to another tenant.
      await as(hub.raw().patch(`/webhooks/${own.body.id}`), keys.root).send({ tenant_id: B }).expect(400);
      await as(hub.raw().delete(`/webhooks/${own.body.id}`), keys.other).expect(200);
    });
  });

  it('left what the other tenant tried to delete, change or sync untouched', async () => {
    const endpoint = (await hub.get(`/webhooks/${hooks.victims.other}`).expect(200)).body;
    expect(endpoint.tenant_id).toBe(B);
    for (const who of ['same', 'root'] as Who[]) await hub.get(`/webhooks/${hooks.victims[who]}`).expect(404);
    await hub.get(`/integrated-accounts/${b.victims.other}`).expect(200);
    const prices = (await hub.get(`/integrated-accounts/${b.jb}/seat-prices`).expect(200)).body;
    expect(prices.currency).toBe('EUR'); // set by tenant B and root, not refused for them
    for (const who of ['same', 'root'] as Who[]) await hub.get(`/integrated-accounts/${b.victims[who]}`).expect(404);
  });

  describe('routes without an account id', () => {
    it.each(CALLERS)('GET /integrations, /docs-json, /health answer everyone: %s', async (who) => {
      await as(hub.raw().get('/integrations'), keys[who]).expect(200);
      await as(hub.raw().get('/docs-json'), keys[who]).expect(200);
      await hub.raw().get('/health').expect(200);
    });

    it('lists only the accounts of the key\'s tenant, each saying its tenant_id; ?tenant_id= filters', async () => {
      const ids = async (key: string, query = '') =>
        ((await as(hub.raw().get(`/integrated-accounts?limit=200${query}`), key).expect(200)).body.result as Json[]).map((x) => [x.id, x.tenant_id]);
      const ofA = await ids(keys.other);
      expect(ofA.map(([, t]) => t)).toEqual(ofA.map(() => A));
      expect(ofA.map(([id]) => id)).toEqual(expect.arrayContaining([a.jb, a.atl]));
      const text = JSON.stringify(await as(hub.raw().get('/integrated-accounts?limit=200'), keys.other).expect(200).then((r) => r.body));
      for (const secret of bSecrets()) expect(text).not.toContain(secret);
      // Another tenant asked for by name: an empty list, as if it had no account.
      expect(await ids(keys.other, `&tenant_id=${B}`)).toEqual([]);
      expect((await ids(keys.same)).every(([, t]) => t === B)).toBe(true);
      expect((await ids(keys.same)).map(([id]) => id)).toContain(b.jb);
      // Keys without tenant see both, and may filter.
      const all = (await ids(keys.read)).map(([id]) => id);
      expect(all).toEqual(expect.arrayContaining([a.jb, b.jb]));
      expect((await ids(keys.root, `&tenant_id=${A}`)).map(([, t]) => t)).toEqual(ofA.map(() => A));
      await hub.get('/integrated-accounts?tenant_id=no%20spaces').expect(400);
    });

    it('POST /integrated-accounts: a tenant key connects into its own tenant only; another tenant_id is 403', async () => {
      const body = { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS, allow_duplicate: true };
      const own = await connectAs(keys.other, body).expect(201);
      expect(own.body.tenant_id).toBe(A);
      for (const secret of bSecrets()) expect(own.text).not.toContain(secret);
      expect((await connectAs(keys.other, { ...body, tenant_id: A }).expect(201)).body.tenant_id).toBe(A);
      const refused = await connectAs(keys.other, { ...body, tenant_id: B }).expect(403);
      expect(refused.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: `This API key belongs to tenant "${A}": it connects accounts to that tenant only; leave out tenant_id or send "${A}"`,
        details: { code: 'FORBIDDEN_TENANT', tenant_id: A },
      });
      await connectAs(keys.read, body).expect(403);
      expect((await connectAs(keys.root, body).expect(201)).body.tenant_id).toBeNull();
      expect((await connectAs(keys.adminAll, { ...body, tenant_id: 'tenant-c' }).expect(201)).body.tenant_id).toBe('tenant-c');
      await connectAs(keys.root, { ...body, tenant_id: 'not valid!' }).expect(400);
      // The tenant is chosen at connect; PATCH does not move an account.
      await as(hub.raw().patch(`/integrated-accounts/${own.body.id}`), keys.root).send({ tenant_id: B }).expect(400);
    });
  });

  describe('the duplicate-organization rule holds within a tenant', () => {
    it('409 names the account of the same tenant; the same organization in another tenant is invisible', async () => {
      const body = { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS };
      // Tenant A connected it without allow_duplicate while tenant B had it (beforeAll); again, it is A's own.
      const inA = await connectAs(keys.other, body).expect(409);
      expect(inA.body.details.existing_account_id).toBe(a.jb);
      for (const secret of bSecrets()) expect(inA.text).not.toContain(secret);
      const inB = await connectAs(keys.same, body).expect(409);
      expect(inB.body.details.existing_account_id).toBe(b.jb);
      // An untenanted admin connecting into tenant B meets B's account.
      expect((await connectAs(keys.root, { ...body, tenant_id: B }).expect(409)).body.details.existing_account_id).toBe(b.jb);
      // A new tenant has none: connected.
      expect((await connectAs(keys.root, { ...body, tenant_id: 'tenant-d' }).expect(201)).body.tenant_id).toBe('tenant-d');
    });
  });

  describe('people across connectors, joined within a tenant', () => {
    const person = (key: string, email: string, query = '') => as(hub.raw().get(`/unified/user-directory/people/${encodeURIComponent(email)}${query}`), key);
    const accountsOf = (body: Json): string[] => (body.accounts as Json[]).map((x) => x.integrated_account_id);
    const tenantAccounts = async (tenant: string) =>
      ((await hub.get(`/integrated-accounts?limit=200&tenant_id=${tenant}`).expect(200)).body.result as Json[]).map((x) => x.id as string);
    /** Every id is one of the tenant's accounts, and both of its first two are there. */
    const expectJoinedWithin = async (ids: string[], tenant: string, first: string[]) => {
      const own = await tenantAccounts(tenant);
      expect(ids.filter((id) => !own.includes(id))).toEqual([]);
      expect(ids).toEqual(expect.arrayContaining(first));
    };

    it('a tenant key joins its own JetBrains and Atlassian accounts only', async () => {
      const ofA = (await person(keys.other, shared).expect(200)).body;
      await expectJoinedWithin(accountsOf(ofA), A, [a.atl, a.jb]);
      expect(new Set(ofA.accounts.map((x: Json) => x.integration))).toEqual(new Set(['atlassian', 'jetbrains']));
      for (const secret of bSecrets()) expect(JSON.stringify(ofA)).not.toContain(secret);
      const ofB = (await person(keys.same, shared).expect(200)).body;
      await expectJoinedWithin(accountsOf(ofB), B, [b.atl, b.jb]);
      // Keys without tenant join everything, or one tenant's with ?tenant_id=.
      expect(accountsOf((await person(keys.read, shared).expect(200)).body)).toEqual(expect.arrayContaining([a.atl, a.jb, b.atl, b.jb]));
      await expectJoinedWithin(accountsOf((await person(keys.root, shared, `?tenant_id=${B}`).expect(200)).body), B, [b.atl, b.jb]);
    });

    it('a person only the other tenant has is 404, exactly as a stranger', async () => {
      await person(keys.same, B_ONLY).expect(200);
      const hidden = await person(keys.other, B_ONLY).expect(404);
      const stranger = await person(keys.other, 'nobody@example.com').expect(404);
      expect(hidden.text.split(B_ONLY).join('<email>')).toBe(stranger.text.split('nobody@example.com').join('<email>'));
      await person(keys.other, A_ONLY).expect(200);
      // Naming the other tenant does not help.
      await person(keys.other, B_ONLY, `?tenant_id=${B}`).expect(404);
    });

    it('lists people without any of the other tenant\'s accounts or people', async () => {
      const page = await as(hub.raw().get('/unified/user-directory/people?limit=200'), keys.other).expect(200);
      expect(page.body.result.length).toBeGreaterThan(1);
      for (const secret of bSecrets()) expect(page.text).not.toContain(secret);
      await expectJoinedWithin([...new Set((page.body.result as Json[]).flatMap((p) => accountsOf(p)))], A, [a.jb, a.atl]);
      const filtered = await as(hub.raw().get(`/unified/user-directory/people?tenant_id=${B}`), keys.other).expect(200);
      expect(filtered.body).toEqual({ result: [], next_cursor: null, result_count: 0 });
      const all = await as(hub.raw().get('/unified/user-directory/people?limit=200'), keys.read).expect(200);
      expect(all.text).toContain(B_ONLY);
    });
  });

  describe('cursors are bound to the tenant', () => {
    it.each([
      ['accounts', '/integrated-accounts?limit=1'],
      ['people', '/unified/user-directory/people?limit=1'],
      ['webhook endpoints', '/webhooks?limit=1'],
    ])('a %s cursor of tenant A is refused for tenant B and for keys without tenant', async (_list, path) => {
      const first = await as(hub.raw().get(path), keys.other).expect(200);
      const cursor = encodeURIComponent(first.body.next_cursor);
      expect(first.body.next_cursor).toEqual(expect.any(String));
      await as(hub.raw().get(`${path}&next_cursor=${cursor}`), keys.other).expect(200);
      for (const who of ['same', 'read', 'root'] as Who[]) {
        const refused = await as(hub.raw().get(`${path}&next_cursor=${cursor}`), keys[who]).expect(400);
        expect(refused.body).toMatchObject({ statusCode: 400, details: { code: 'INVALID_CURSOR' } });
        expect(refused.body.message).toMatch(/another tenant/);
      }
      // And the other way round: an untenanted key's cursor is not a tenant's.
      const rootCursor = encodeURIComponent((await as(hub.raw().get(path), keys.root).expect(200)).body.next_cursor);
      await as(hub.raw().get(`${path}&next_cursor=${rootCursor}`), keys.other).expect(400);
    });

    it('an account list cursor of tenant A used by tenant B on A\'s account: 404, the account is not there for B', async () => {
      const page = await as(hub.raw().get(`/unified/user-directory/users?integrated_account_id=${a.jb}&limit=1`), keys.other).expect(200);
      const res = await as(hub.raw().get(`/unified/user-directory/users?integrated_account_id=${a.jb}&next_cursor=${encodeURIComponent(page.body.next_cursor)}`), keys.same);
      expect(res.status).toBe(404);
      expect(res.body.details).toEqual({ code: 'ACCOUNT_NOT_FOUND' });
    });
  });

  describe('managing keys needs an admin key without tenant', () => {
    it.each([
      ['GET /api-keys', (key: string) => as(hub.raw().get('/api-keys'), key)],
      ['POST /api-keys', (key: string) => as(hub.raw().post('/api-keys'), key).send({ name: 'mine', scope: 'admin' })],
      ['GET /api-keys/:id', (key: string) => as(hub.raw().get('/api-keys/01SOMEKEY'), key)],
      ['DELETE /api-keys/:id', (key: string) => as(hub.raw().delete('/api-keys/01SOMEKEY'), key)],
    ])('%s: 403 FORBIDDEN_TENANT for a tenant admin key', async (_route, call) => {
      const res = await call(keys.other).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', details: { code: 'FORBIDDEN_TENANT', tenant_id: A } });
      expect(res.body.message).toMatch(/needs an admin key without a tenant/);
      expect((await call(keys.read)).status).toBe(403);
    });

    it.each([
      ['GET /admin/encryption', (key: string) => as(hub.raw().get('/admin/encryption'), key)],
    ])('%s: hub-wide, so 403 FORBIDDEN_TENANT for a tenant key', async (_route, call) => {
      const res = await call(keys.other).expect(403);
      expect(res.body.details).toMatchObject({ code: 'FORBIDDEN_TENANT', tenant_id: A });
    });

    it('lets the root key and untenanted admin keys issue tenant keys', async () => {
      const key = (await as(hub.raw().post('/api-keys'), keys.adminAll).send({ name: 'c', scope: 'read', tenant_id: 'tenant-c' }).expect(201)).body;
      expect(key.tenant_id).toBe('tenant-c');
      const listed = (await as(hub.raw().get('/api-keys?limit=200'), keys.adminAll).expect(200)).body.result as Json[];
      expect(listed.find((k) => k.id === key.id).tenant_id).toBe('tenant-c');
      const seen = (await as(hub.raw().get('/integrated-accounts?limit=200'), key.key).expect(200)).body.result as Json[];
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((x) => x.tenant_id === 'tenant-c')).toBe(true);
    });
  });

  it('documents the 404 rule in the OpenAPI document', async () => {
    const doc = (await hub.get('/docs-json').expect(200)).body;
    for (const [path, method] of [
      ['/integrated-accounts/{id}', 'get'],
      ['/integrated-accounts/{id}/sync', 'post'],
      ['/unified/user-directory/people/{email}', 'get'],
      ['/unified/user-directory/users', 'get'],
    ]) {
      const op = doc.paths[path][method];
      expect(op.responses['404'].description).toMatch(/another tenant answers 404 with the same status, code and message as an id that does not exist/);
      expect(op['x-hub-tenant-scoped']).toBe(true);
    }
    expect(doc.paths['/api-keys'].post['x-hub-untenanted-only']).toBe(true);
    // Webhook endpoints follow the same rule.
    expect(doc.paths['/webhooks/{id}'].get.responses['404'].description).toMatch(/WEBHOOK_NOT_FOUND.*another tenant answers 404 with the same status, code and message/);
    expect(doc.paths['/webhooks'].get['x-hub-tenant-scoped']).toBe(true);
    expect(doc.paths['/webhooks'].post['x-hub-untenanted-only']).toBeUndefined();
    expect(doc.components.schemas.CreateWebhookDto.properties.tenant_id).toBeDefined();
    // Lists are scoped too, and never 404.
    expect(doc.paths['/integrated-accounts'].get['x-hub-tenant-scoped']).toBe(true);
    expect(doc.paths['/integrated-accounts'].get.responses['404']).toBeUndefined();
    expect(doc.info.description).toMatch(/Tenant rule: .* answers 404 .* \(never 403\)/);
    expect(doc.components.schemas.CreateAccountDto.properties.tenant_id).toBeDefined();
    expect(doc.components.schemas.AccountView.properties.tenant_id).toBeDefined();
  });

  describe('browser sessions, connect links and credential tests keep to the tenant', () => {
    it('a tenant key\'s browser session sees exactly what the key sees', async () => {
      const signIn = await hub.raw().post('/session').send({ api_key: keys.other }).expect(201);
      expect(signIn.body.key.tenant_id).toBe(A);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const list = await hub.raw().get('/integrated-accounts?limit=200').set('Cookie', cookie).expect(200);
      expect((list.body.result as Json[]).every((x) => x.tenant_id === A)).toBe(true);
      for (const secret of bSecrets()) expect(list.text).not.toContain(secret);
      const hidden = await hub.raw().get(`/integrated-accounts/${b.jb}`).set('Cookie', cookie).expect(404);
      const missing = await hub.raw().get(`/integrated-accounts/${MISSING}`).set('Cookie', cookie).expect(404);
      expect(hidden.text.split(b.jb).join('<id>')).toBe(missing.text.split(MISSING).join('<id>'));
    });

    it('POST /integrated-accounts/test-credentials answers a tenant key without anything of another tenant', async () => {
      const res = await as(hub.raw().post('/integrated-accounts/test-credentials'), keys.other).send({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }).expect(200);
      for (const secret of bSecrets()) expect(res.text).not.toContain(secret);
    });

    it('a tenant key makes connect links for its own tenant only (another: 403 FORBIDDEN_TENANT), and the link connects there', async () => {
      const refused = await as(hub.raw().post('/connect-sessions'), keys.other).send({ tenant_id: B }).expect(403);
      expect(refused.body.details).toEqual({ code: 'FORBIDDEN_TENANT', tenant_id: A });
      const link = (await as(hub.raw().post('/connect-sessions'), keys.other).send({ integrations: ['jetbrains'] }).expect(201)).body;
      expect(link.tenant_id).toBe(A);
      const current = await as(hub.raw().get('/connect-sessions/current'), link.token).expect(200);
      for (const secret of bSecrets()) expect(current.text).not.toContain(secret);
      // Tenant A has this organization (a.jb): the duplicate rule runs within A, and names no account.
      const dup = await as(hub.raw().post('/connect-sessions/current/accounts'), link.token).send({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }).expect(409);
      expect(dup.body.details).toEqual({ code: 'ACCOUNT_ALREADY_CONNECTED' });
      expect(dup.text).not.toContain(a.jb);
      // A link of a tenant that does not have it connects there, seen by no other tenant.
      const fresh = (await as(hub.raw().post('/connect-sessions'), keys.root).send({ tenant_id: 'tenant-e' }).expect(201)).body;
      const made = (await as(hub.raw().post('/connect-sessions/current/accounts'), fresh.token).send({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }).expect(201)).body;
      expect(made.tenant_id).toBe('tenant-e');
      await as(hub.raw().get(`/integrated-accounts/${made.id}`), keys.same).expect(404);
      await as(hub.raw().get(`/integrated-accounts/${made.id}`), keys.other).expect(404);
      await as(hub.raw().get(`/integrated-accounts/${made.id}`), keys.root).expect(200);
      await waitForLatestRun(hub, made.id);
    }, 90_000);
  });

  (postgresEnabled() ? describe : describe.skip)('on PostgreSQL', () => {
    it('scopes accounts, their reads, people and the duplicate rule by tenant the same way', async () => {
      const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
      const pg = await fx.hub({ ...(await postgresEnv(fx)), JETBRAINS_BASE_URL: sim.baseUrl });
      const keyOf = async (tenant: string) => (await pg.post('/api-keys', { name: tenant, scope: 'admin', tenant_id: tenant }).expect(201)).body.key as string;
      const [ka, kb] = [await keyOf(A), await keyOf(B)];
      const body = { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS };
      const ofA = (await as(pg.raw().post('/integrated-accounts'), ka).send(body).expect(201)).body;
      const ofB = (await as(pg.raw().post('/integrated-accounts'), kb).send({ ...body, name: B_NAME }).expect(201)).body;
      expect([ofA.tenant_id, ofB.tenant_id]).toEqual([A, B]);
      expect((await as(pg.raw().post('/integrated-accounts'), ka).send(body).expect(409)).body.details.existing_account_id).toBe(ofA.id);
      await waitForLatestRun(pg, ofA.id);
      await waitForLatestRun(pg, ofB.id);
      const list = await as(pg.raw().get('/integrated-accounts'), ka).expect(200);
      expect(list.body.result.map((x: Json) => x.id)).toEqual([ofA.id]);
      expect((await pg.get(`/integrated-accounts?tenant_id=${B}`).expect(200)).body.result.map((x: Json) => x.id)).toEqual([ofB.id]);
      const hidden = await as(pg.raw().get(`/unified/user-directory/users?integrated_account_id=${ofB.id}`), ka).expect(404);
      expect(hidden.body.details).toEqual({ code: 'ACCOUNT_NOT_FOUND' });
      const people = await as(pg.raw().get('/unified/user-directory/people?limit=200'), ka).expect(200);
      expect(people.body.result.length).toBeGreaterThan(0);
      expect(people.text).not.toContain(ofB.id);
      expect(new Set((people.body.result as Json[]).flatMap((p) => p.accounts.map((x: Json) => x.integrated_account_id)))).toEqual(new Set([ofA.id]));
    });
  });
});

