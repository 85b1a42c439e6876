import type { JetbrainsSimulator } from '../sandbox/jetbrains/server';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE, SIM_TEAM_TOKEN } from '../sandbox/jetbrains/dataset';
import { capturedLogs, connect, eventually, JETBRAINS_CREDENTIALS as CREDENTIALS, TestHub, TEST_API_KEY, useFixture } from './support/fixture';

describe('JetBrains end to end (tiny dataset)', () => {
  const fx = useFixture();
  let sim: JetbrainsSimulator;
  let hub: TestHub;
  let accountId: string;

  beforeAll(async () => {
    ({ sim, hub } = await fx.jetbrains({ dataset: 'tiny' }));
    accountId = (await connect(hub)).id;
  });

  afterAll(() => {
    // Runs after the fixture has closed hub and simulator. Whatever happened above, no log line may carry a credential or the hub key.
    const all = capturedLogs.join('\n');
    expect(all).not.toContain(SIM_ADMIN_TOKEN);
    expect(all).not.toContain(TEST_API_KEY);
  });

  const users = (query = '') => hub.get(`/unified/user-directory/users?integrated_account_id=${accountId}${query}`);

  describe('access control', () => {
    it('serves /health without a key and nothing else', async () => {
      await hub.raw().get('/health').expect(200, { status: 'ok' });
      const denied = await hub.raw().get('/integrations').expect(401);
      expect(denied.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      await hub.raw().get('/integrations').set('Authorization', 'Bearer wrong-key-wrong-key-wrong').expect(401);
      await hub.raw().get(`/unified/user-directory/users?integrated_account_id=${accountId}`).expect(401);
      await hub.raw().get('/proxy/products').expect(401);
      await hub.raw().get('/docs-json').expect(401);
    });

    it('describes every route in the OpenAPI document', async () => {
      const doc = await hub.get('/docs-json').expect(200);
      const paths = Object.keys(doc.body.paths);
      for (const path of [
        '/health',
        '/integrations',
        '/integrated-accounts',
        '/integrated-accounts/{id}',
        '/integrated-accounts/{id}/test',
        '/integrated-accounts/{id}/sync',
        '/integrated-accounts/{id}/syncs',
        '/unified/user-directory/users',
        '/unified/user-directory/users/{id}',
        '/unified/user-directory/groups',
        '/unified/user-directory/licenses',
      ]) {
        expect(paths).toContain(path);
      }
      expect(paths.some((p) => p.startsWith('/proxy/'))).toBe(true);
      expect(Object.keys(doc.body.components.schemas)).toEqual(expect.arrayContaining(['UnifiedUserView', 'UnifiedLicensePlanView', 'CreateAccountDto']));
      await hub.get('/docs').expect(200).expect('Content-Type', /html/);
    });
  });

  describe('integrations', () => {
    it('lists the JetBrains connector from the manifest with its credential fields', async () => {
      const res = await hub.get('/integrations').expect(200);
      const jetbrains = res.body.result.find((i: { id: string }) => i.id === 'jetbrains');
      expect(jetbrains).toMatchObject({ id: 'jetbrains', name: 'JetBrains', base_url: sim.baseUrl });
      expect(jetbrains.capabilities).toEqual(['authenticate', 'users', 'groups', 'licenses', 'proxy']);
      expect(jetbrains.credentials.map((c: { name: string; secret: boolean }) => [c.name, c.secret])).toEqual([
        ['customer_code', false],
        ['api_key', true],
      ]);
    });
  });

  describe('connecting an account', () => {
    it('returns the account with what the token gives access to, and no credential', async () => {
      const res = await hub.get(`/integrated-accounts/${accountId}`).expect(200);
      expect(res.body).toMatchObject({
        id: accountId,
        integration: 'jetbrains',
        name: 'JetBrains – Acme GmbH',
        status: 'active',
        access: { organization: { id: String(SIM_CUSTOMER_CODE), name: 'Acme GmbH' }, role: 'ADMIN' },
      });
      expect(res.body.access.teams.map((t: { name: string }) => t.name)).toEqual(['Backend', 'Frontend', 'Contractors', 'Empty Team']);
      expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);
      expect(JSON.stringify(res.body)).not.toContain(SIM_ADMIN_TOKEN);
      const list = await hub.get('/integrated-accounts').expect(200);
      expect(JSON.stringify(list.body)).not.toContain(SIM_ADMIN_TOKEN);
    });

    it('stores the credentials encrypted, not in clear', async () => {
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(`${hub.dataDir}/hub.sqlite`, { readonly: true });
      const row = db.prepare('select credentials, credentials_key_id from accounts where id = ?').get(accountId) as { credentials: string; credentials_key_id: string };
      db.close();
      expect(row.credentials).not.toContain(SIM_ADMIN_TOKEN);
      expect(JSON.parse(row.credentials)).toEqual({ v: 1, kid: row.credentials_key_id, iv: expect.any(String), tag: expect.any(String), ct: expect.any(String) });
    });

    it.each([
      [{ integration: 'jetbrains' }, /credentials/],
      [{ integration: 'jetbrains', credentials: { customer_code: '1234567' } }, /credentials.api_key \(API token\) is required/],
      [{ integration: 'jetbrains', credentials: { customer_code: 'ACME', api_key: 'x' } }, /credentials.customer_code \(Customer code\) has the wrong format/],
      [{ integration: 'jetbrains', credentials: { ...CREDENTIALS, password: 'x' } }, /credentials.password is not a JetBrains credential/],
      [{ integration: 'nope', credentials: CREDENTIALS }, /Unknown integration "nope"/],
      [{ integration: 'jetbrains', credentials: CREDENTIALS, extra: 1 }, /property extra should not exist/],
    ])('refuses a bad body %# with 400 naming the field', async (body, message) => {
      const before = (await hub.get('/integrated-accounts').expect(200)).body.result.length;
      const res = await hub.post('/integrated-accounts', body).expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.message).toMatch(message);
      expect((await hub.get('/integrated-accounts').expect(200)).body.result.length).toBe(before);
    });

    it('refuses a body that is not JSON with 400, never 500', async () => {
      const res = await hub.raw().post('/integrated-accounts').set('Authorization', `Bearer ${TEST_API_KEY}`).set('Content-Type', 'application/json').send('{"integration": "jetbrains",').expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON.' });
      await hub.post('/integrated-accounts', [1, 2]).expect(400);
    });

    it('refuses rejected credentials with a message saying what to check, storing nothing', async () => {
      const before = (await hub.get('/integrated-accounts').expect(200)).body.result.length;
      for (const credentials of [
        { customer_code: String(SIM_CUSTOMER_CODE), api_key: 'not-a-real-token' },
        { customer_code: '7654321', api_key: SIM_ADMIN_TOKEN },
      ]) {
        const res = await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials }).expect(400);
        expect(res.body.message).toMatch(/JetBrains rejected these credentials: check the Customer code and API token/);
        expect(res.body.details).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', upstream_status: 401, upstream_code: 'INVALID_TOKEN' });
        expect(JSON.stringify(res.body)).not.toContain(credentials.api_key);
      }
      expect((await hub.get('/integrated-accounts').expect(200)).body.result.length).toBe(before);
    });

    it('answers 502 when the upstream is unreachable, storing nothing', async () => {
      const dead = await fx.jetbrainsSimulator();
      await dead.close();
      const other = await fx.hub({ JETBRAINS_BASE_URL: dead.baseUrl });
      const res = await other.post('/integrated-accounts', { integration: 'jetbrains', credentials: CREDENTIALS }).expect(502);
      expect(res.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway', details: { code: 'UPSTREAM_UNAVAILABLE' } });
      expect((await other.get('/integrated-accounts').expect(200)).body.result).toEqual([]);
    });

    it('accepts a team-scoped token and reads only that team', async () => {
      const res = await connect(hub, { name: 'Backend only', credentials: { ...CREDENTIALS, api_key: SIM_TEAM_TOKEN } });
      expect(res.body).toMatchObject({ name: 'Backend only', access: { teams: [{ id: '2573297', name: 'Backend' }], extra: { token_type: 'TEAM' } } });
      const page = await hub.get(`/unified/user-directory/users?integrated_account_id=${res.id}`).expect(200);
      for (const user of page.body.result) {
        expect(user.licenses.every((l: { team: { id: string } }) => l.team.id === '2573297')).toBe(true);
      }
      expect(page.body.result.map((u: { id: string }) => u.id)).toContain('ada@example.com');
      expect(page.body.result.map((u: { id: string }) => u.id)).not.toContain('jcvd@example.com');
      await hub.delete(`/integrated-accounts/${res.id}`).expect(200);
    });

    it('tests stored credentials on demand', async () => {
      const res = await hub.post(`/integrated-accounts/${accountId}/test`).expect(200);
      expect(res.body).toMatchObject({ ok: true, access: { organization: { name: 'Acme GmbH' } }, account: { status: 'active' } });
    });
  });

  describe('unified users', () => {
    it('lists every licensed person once, ordered by id, with the rules from the seeds', async () => {
      const res = await users().expect(200);
      expect(res.body.next_cursor).toBeNull();
      expect(res.body.result_count).toBe(8);
      expect(res.body.result.map((u: { id: string }) => u.id)).toEqual([
        'ada@example.com',
        'grace@example.com',
        'jcvd@example.com',
        'linus@example.com',
        'mixed.case@example.com',
        'new@example.com',
        'noname@example.com',
        'stop@example.com',
      ]);
      const byId = Object.fromEntries(res.body.result.map((u: { id: string }) => [u.id, u]));
      // Two licenses in different letter case are one person; the outdated one is left out.
      expect(byId['ada@example.com']).toEqual({
        id: 'ada@example.com',
        remote_id: 'ada@example.com',
        email: 'ada@example.com',
        emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
        name: 'Ada Lovelace',
        first_name: 'Ada',
        last_name: 'Lovelace',
        status: 'active',
        licenses: [
          {
            id: 'AAAAAAA001',
            product_code: 'II',
            product_name: 'IntelliJ IDEA Ultimate',
            name: 'IntelliJ IDEA Ultimate',
            status: 'active',
            is_trial: false,
            team: { id: '2573297', name: 'Backend' },
            subscription_pack: '1215/ABCDE',
            valid_until: '2027-05-19T22:00:00.000Z',
            assigned_at: '2025-01-10T08:00:00.000Z',
            last_active_at: '2026-10-01T06:15:00.000Z',
          },
          {
            id: 'AAAAAAA002',
            product_code: 'WS',
            product_name: 'WebStorm',
            name: 'WebStorm',
            status: 'active',
            is_trial: false,
            team: { id: '2717496', name: 'Frontend' },
            subscription_pack: '1215/FGHIJ',
            valid_until: '2027-03-01T05:00:00.000Z',
            assigned_at: '2025-02-01T12:00:00.000Z',
            last_active_at: '2026-10-20T15:00:00.000Z',
          },
        ],
        groups: [
          { id: '2573297', name: 'Backend' },
          { id: '2717496', name: 'Frontend' },
        ],
        last_active_at: '2026-10-20T15:00:00.000Z',
        integration: 'jetbrains',
      });
      // Only suspended licenses: suspended; last activity from the one that was seen.
      expect(byId['grace@example.com']).toMatchObject({ status: 'suspended', last_active_at: '2026-07-04T09:00:00.000Z' });
      expect(byId['grace@example.com'].licenses.map((l: { status: string }) => l.status)).toEqual(['suspended', 'suspended']);
      // Names: one word or more than two give no first/last name; no name gives null.
      expect(byId['linus@example.com']).toMatchObject({ name: 'Linus', first_name: null, last_name: null, last_active_at: '2026-09-15T18:00:00.000Z' });
      expect(byId['jcvd@example.com']).toMatchObject({ name: 'Jean Claude Van Damme', first_name: null, last_name: null });
      expect(byId['noname@example.com']).toMatchObject({ name: null, first_name: null, last_name: null, last_active_at: null });
      // Never seen: null; a perpetual license has no subscription pack or end date.
      expect(byId['new@example.com']).toMatchObject({ last_active_at: null, status: 'active' });
      expect(byId['new@example.com'].licenses[0]).toMatchObject({ is_trial: true, last_active_at: null });
      expect(byId['mixed.case@example.com']).toMatchObject({ remote_id: 'Mixed.Case@Example.COM', email: 'mixed.case@example.com' });
      expect(byId['mixed.case@example.com'].licenses[0]).toMatchObject({ subscription_pack: null, valid_until: null });
      expect(byId['stop@example.com'].licenses[0]).toMatchObject({ subscription_pack: null, last_active_at: '2026-10-30T15:45:12.345Z' });
      // Servers and license keys are not people.
      expect(JSON.stringify(res.body)).not.toMatch(/srv-42|Build Agent/);
      expect(res.body.result.every((u: object) => !('remote_data' in u))).toBe(true);
    });

    it('brings outdated licenses back with include_outdated=true', async () => {
      const res = await users('&include_outdated=true').expect(200);
      const ids = res.body.result.map((u: { id: string }) => u.id);
      expect(ids).toContain('old@example.com');
      expect(ids).toHaveLength(9);
      const ada = res.body.result.find((u: { id: string }) => u.id === 'ada@example.com');
      expect(ada.licenses.map((l: { id: string; status: string }) => [l.id, l.status])).toEqual([
        ['AAAAAAA001', 'active'],
        ['AAAAAAA002', 'active'],
        ['AAAAAAA013', 'outdated'],
      ]);
      expect(ada.last_active_at).toBe('2026-11-10T09:00:00.000Z');
      const old = res.body.result.find((u: { id: string }) => u.id === 'old@example.com');
      expect(old.status).toBe('suspended');
    });

    it('adds the raw licenses only with include_remote_data=true', async () => {
      const res = await users('&include_remote_data=true&limit=1').expect(200);
      expect(res.body.result[0].remote_data.map((l: { licenseId: string }) => l.licenseId)).toEqual(['AAAAAAA001', 'AAAAAAA002']);
      expect(res.body.result[0].remote_data[1].assignee.email).toBe('Ada@Example.com');
    });

    it('gives the same raw licenses from the snapshot as live, outdated ones only with include_outdated=true', async () => {
      for (const outdated of ['', '&include_outdated=true']) {
        const stored = (await users(`&include_remote_data=true${outdated}`).expect(200)).body.result;
        const live = (await users(`&include_remote_data=true&source=live${outdated}`).expect(200)).body.result;
        expect(stored).toEqual(live);
        const ada = stored.find((u: { id: string }) => u.id === 'ada@example.com');
        const ids = ada.remote_data.map((l: { licenseId: string }) => l.licenseId);
        expect(ids).toEqual(outdated ? ['AAAAAAA001', 'AAAAAAA002', 'AAAAAAA013'] : ['AAAAAAA001', 'AAAAAAA002']);
      }
      const one = await hub.get(`/unified/user-directory/users/ada%40example.com?integrated_account_id=${accountId}&include_remote_data=true&include_outdated=true`).expect(200);
      expect(one.body.remote_data.map((l: { licenseId: string }) => l.licenseId)).toEqual(['AAAAAAA001', 'AAAAAAA002', 'AAAAAAA013']);
    });

    it('walks pages with next_cursor without duplicates or gaps', async () => {
      const all = (await users().expect(200)).body.result.map((u: { id: string }) => u.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `&limit=3${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await users(query).expect(200);
        expect(res.body.result_count).toBe(res.body.result.length);
        expect(res.body.result.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.result.map((u: { id: string }) => u.id));
        cursor = res.body.next_cursor as string | null;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(all);
    });

    it('reads live from the upstream with source=live, with the same signed cursors', async () => {
      const snapshot = (await users().expect(200)).body.result;
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `&source=live&limit=3${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await users(query).expect(200);
        seen.push(...res.body.result);
        cursor = res.body.next_cursor as string | null;
      } while (cursor);
      expect(seen).toEqual(snapshot);
      const first = await users('&source=live&limit=3').expect(200);
      // A live cursor is not a snapshot cursor, and the other way round.
      await users(`&next_cursor=${encodeURIComponent(first.body.next_cursor)}`).expect(400);
      await users('&source=cache').expect(400);
    });

    it('gets one user by id, 404 when unknown', async () => {
      const res = await hub.get(`/unified/user-directory/users/grace@example.com?integrated_account_id=${accountId}`).expect(200);
      expect(res.body).toMatchObject({ id: 'grace@example.com', status: 'suspended' });
      const missing = await hub.get(`/unified/user-directory/users/nobody@example.com?integrated_account_id=${accountId}`).expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', details: { code: 'USER_NOT_FOUND' } });
      await hub.get(`/unified/user-directory/users/old@example.com?integrated_account_id=${accountId}`).expect(404);
      await hub.get(`/unified/user-directory/users/old@example.com?integrated_account_id=${accountId}&include_outdated=true`).expect(200);
    });

    it('finds a user whatever the letter case of the email, and says what was asked for when not found', async () => {
      const res = await hub.get(`/unified/user-directory/users/${encodeURIComponent('Ada@Example.COM')}?integrated_account_id=${accountId}`).expect(200);
      expect(res.body).toMatchObject({ id: 'ada@example.com', email: 'ada@example.com' });
      await hub.get(`/unified/user-directory/users/OLD@example.com?integrated_account_id=${accountId}&include_outdated=true`).expect(200);
      const missing = await hub.get(`/unified/user-directory/users/Nobody@Example.com?integrated_account_id=${accountId}`).expect(404);
      expect(missing.body.message).toBe(`No user "Nobody@Example.com" in integrated account ${accountId}`);
    });
  });

  describe('bad list input', () => {
    it.each(['0', '201', 'abc', '-5', '1.5'])('refuses limit=%s with 400', async (limit) => {
      const res = await users(`&limit=${limit}`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(/limit must be an integer between 1 and 200/);
    });

    it('refuses a missing integrated_account_id with 400 and an unknown one with 404', async () => {
      const missing = await hub.get('/unified/user-directory/users').expect(400);
      expect(missing.body.message).toMatch(/integrated_account_id is required/);
      const unknown = await hub.get('/unified/user-directory/users?integrated_account_id=does-not-exist').expect(404);
      expect(unknown.body.details.code).toBe('ACCOUNT_NOT_FOUND');
      await hub.get('/unified/user-directory/groups?integrated_account_id=does-not-exist').expect(404);
      await hub.get('/integrated-accounts/does-not-exist').expect(404);
    });

    it('refuses garbage, tampered and foreign cursors with 400', async () => {
      const first = await users('&limit=2').expect(200);
      const cursor: string = first.body.next_cursor;
      const [body, signature] = cursor.split('.');
      const forged = Buffer.from(JSON.stringify({ a: accountId, r: 'users', k: 'a' })).toString('base64url');
      for (const bad of ['garbage', `${body}.`, `${forged}.${signature}`, `${body}.${signature}x`, '%%%', 'a.b.c']) {
        const res = await users(`&next_cursor=${encodeURIComponent(bad)}`).expect(400);
        expect(res.body.details.code).toBe('INVALID_CURSOR');
      }
      // The same cursor on another list or another account is refused too.
      await hub.get(`/unified/user-directory/groups?integrated_account_id=${accountId}&next_cursor=${encodeURIComponent(cursor)}`).expect(400);
      await users(`&include_outdated=true&next_cursor=${encodeURIComponent(cursor)}`).expect(400);
      const other = await connect(hub);
      await eventually(() => hub.get(`/unified/user-directory/users?integrated_account_id=${other.id}`).expect(200));
      const foreign = await hub.get(`/unified/user-directory/users?integrated_account_id=${other.id}&next_cursor=${encodeURIComponent(cursor)}`).expect(400);
      expect(foreign.body.message).toMatch(/another integrated account/);
      await hub.delete(`/integrated-accounts/${other.id}`).expect(200);
    });

    it('refuses unknown query parameters and bad flags with 400', async () => {
      await users('&foo=bar').expect(400);
      const res = await users('&include_remote_data=yes').expect(400);
      expect(res.body.message).toMatch(/include_remote_data must be true or false/);
    });
  });

  describe('groups and licenses', () => {
    it('lists teams as groups with member counts', async () => {
      const res = await hub.get(`/unified/user-directory/groups?integrated_account_id=${accountId}`).expect(200);
      expect(res.body).toEqual({
        result: [
          { id: '2573297', name: 'Backend', member_count: 6, integration: 'jetbrains' },
          { id: '2717496', name: 'Frontend', member_count: 3, integration: 'jetbrains' },
          { id: '3000002', name: 'Contractors', member_count: 1, integration: 'jetbrains' },
          { id: '3000003', name: 'Empty Team', member_count: 0, integration: 'jetbrains' },
        ],
        next_cursor: null,
        result_count: 4,
        synced_at: expect.any(String),
        stale: false,
        source: 'snapshot',
      });
    });

    it('lists plans per product x team x subscription pack with seat counts', async () => {
      const res = await hub.get(`/unified/user-directory/licenses?integrated_account_id=${accountId}`).expect(200);
      const rows = Object.fromEntries(res.body.result.map((r: { id: string }) => [r.id, r]));
      expect(Object.keys(rows)).toEqual([
        'DB:2717496:1215/FGHIJ',
        'GO:2573297:1215/ABCDE',
        'II:2573297:1215/ABCDE',
        'II:2573297:none',
        'PC:2573297:1215/ABCDE',
        'PS:3000002:none',
        'WS:2717496:1215/FGHIJ',
      ]);
      expect(rows['II:2573297:1215/ABCDE']).toEqual({
        id: 'II:2573297:1215/ABCDE',
        product_code: 'II',
        product_name: 'IntelliJ IDEA Ultimate',
        name: 'IntelliJ IDEA Ultimate',
        team: { id: '2573297', name: 'Backend' },
        subscription_pack: '1215/ABCDE',
        total: 6,
        assigned: 4,
        available: 1,
        unavailable: 1,
        suspended: 0,
        trial: 2,
        valid_until: '2027-05-19T22:00:00.000Z',
        integration: 'jetbrains',
        utilization: expect.objectContaining({ inactive_days: 60 }),
      });
      // The tiny set's dates are fixed, so how its seats split moves with the calendar; their sum does
      // not: the three people's seats of the plan (the fourth assigned license is a server's).
      const split = rows['II:2573297:1215/ABCDE'].utilization;
      expect(split.active + split.inactive + split.never_used).toBe(3);
      expect(rows['WS:2717496:1215/FGHIJ']).toMatchObject({ total: 4, assigned: 3, available: 1, suspended: 1 });
      expect(rows['PS:3000002:none']).toMatchObject({ total: 1, valid_until: null });
      // Every license is assigned, available or unavailable: the three add up to total.
      for (const plan of Object.values(rows) as { total: number; assigned: number; available: number; unavailable: number }[]) {
        expect(plan.assigned + plan.available + plan.unavailable).toBe(plan.total);
      }
      const withOutdated = await hub.get(`/unified/user-directory/licenses?integrated_account_id=${accountId}&include_outdated=true`).expect(200);
      expect(withOutdated.body.result.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['CL:2573297:0999/OLDPK', 'RD:2573297:0999/OLDPK']));
      const paged = await hub.get(`/unified/user-directory/licenses?integrated_account_id=${accountId}&limit=5`).expect(200);
      expect(paged.body.result_count).toBe(5);
      expect(paged.body.next_cursor).toEqual(expect.any(String));
    });
  });

  describe('proxy', () => {
    const proxy = (path: string, sep = '?') => `/proxy${path}${sep}integrated_account_id=${accountId}`;

    it('passes a GET through 1-to-1 with the credentials injected and hub parameters removed', async () => {
      const res = await hub.get(proxy('/customer/licenses?perPage=2&page=2', '&')).set('X-Trace', 'abc').expect(200);
      expect(res.headers['x-total-count']).toBe('17');
      expect(res.headers['link']).toContain('rel="next"');
      expect(res.body.map((l: { licenseId: string }) => l.licenseId)).toEqual(['AAAAAAA003', 'AAAAAAA004']);
      const seen = sim.requests[sim.requests.length - 1]!;
      expect(seen.url).toBe('/api/v1/customer/licenses?perPage=2&page=2');
      expect(seen.headers['x-api-key']).toBe(SIM_ADMIN_TOKEN);
      expect(seen.headers['x-customer-code']).toBe(String(SIM_CUSTOMER_CODE));
      expect(seen.headers['x-trace']).toBe('abc');
      expect(seen.headers['authorization']).toBeUndefined();
    });

    it('passes writes and upstream errors through unchanged, never retried', async () => {
      const count = sim.requests.length;
      const res = await hub
        .post(proxy('/customer/licenses/assign'))
        .send({ licenseId: 'AAAAAAA001', contact: { firstName: 'A', lastName: 'B', email: 'a@b.example' }, includeOfflineActivationCode: false, sendEmail: false })
        .expect(400);
      expect(res.body).toEqual({ code: 'LICENSE_IS_NOT_AVAILABLE_TO_ASSIGN', description: 'ALLOCATED' });
      expect(sim.requests.length).toBe(count + 1);
      expect(sim.requests[sim.requests.length - 1]!.body).toMatchObject({ licenseId: 'AAAAAAA001' });

      sim.faults.update({ script: ['500'] });
      await hub.get(proxy('/products')).expect(500);
      expect(sim.requests.length).toBe(count + 2);
      await hub.get(proxy('/customer/licenses/NOPE000000')).expect(404, { code: 'LICENSE_NOT_FOUND', description: 'NOPE000000' });
    });

    it('streams a large body through whole, and closes the connection when the upstream cuts one', async () => {
      const whole = await hub.get(proxy('/__sim/blob?mb=3', '&')).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(whole.status).toBe(200);
      expect((whole.body as Buffer).length).toBe(Number(whole.headers['content-length']));
      expect((JSON.parse((whole.body as Buffer).toString()) as unknown[]).length).toBeGreaterThan(1000);

      await expect(hub.get(proxy('/__sim/blob?mb=3&cut=true', '&')).buffer(true)).rejects.toThrow();
      // The hub itself carries on.
      await hub.get(proxy('/token')).expect(200);
    });

    it('does not let the caller override the injected credentials', async () => {
      await hub.get(proxy('/token')).set('X-Api-Key', 'evil').set('X-Customer-Code', '1').expect(200);
      const seen = sim.requests[sim.requests.length - 1]!;
      expect(seen.headers['x-api-key']).toBe(SIM_ADMIN_TOKEN);
    });

    it.each([
      '/proxy/../admin',
      '/proxy/%2e%2e/admin',
      '/proxy/customer/%2E%2E/%2e%2e/x',
      '/proxy/%252e%252e/x',
      '/proxy//evil.example/x',
      '/proxy/%2F%2Fevil.example/x',
      '/proxy/http://evil.example/x',
      '/proxy/https:%2F%2Fevil.example',
      '/proxy/customer%5C..%5Cx',
      '/proxy/./token',
    ])('refuses %s with 400 and sends nothing upstream', async (path) => {
      const count = sim.requests.length;
      const res = await hub.get(`${path}?integrated_account_id=${accountId}`).expect(400);
      expect(res.body.details.code).toBe('INVALID_PROXY_PATH');
      expect(sim.requests.length).toBe(count);
    });

    it('needs integrated_account_id and a known account', async () => {
      await hub.get('/proxy/products').expect(400);
      await hub.get('/proxy/products?integrated_account_id=nope').expect(404);
    });
  });

  describe('lifecycle', () => {
    it('deletes an account and its data', async () => {
      const { id } = await connect(hub);
      await eventually(() => hub.get(`/unified/user-directory/users?integrated_account_id=${id}`).expect(200));
      await hub.delete(`/integrated-accounts/${id}`).expect(200, { id });
      await hub.get(`/integrated-accounts/${id}`).expect(404);
      await hub.get(`/unified/user-directory/users?integrated_account_id=${id}`).expect(404);
      await hub.delete(`/integrated-accounts/${id}`).expect(404);
    });

    it('pages the account list with the same envelope', async () => {
      const extra = await connect(hub);
      const first = await hub.get('/integrated-accounts?limit=1').expect(200);
      expect(first.body).toMatchObject({ result_count: 1, next_cursor: expect.any(String) });
      const second = await hub.get(`/integrated-accounts?limit=1&next_cursor=${encodeURIComponent(first.body.next_cursor)}`).expect(200);
      expect(second.body.result[0].id).not.toBe(first.body.result[0].id);
      await hub.get('/integrated-accounts?limit=500').expect(400);
      await hub.delete(`/integrated-accounts/${extra.id}`).expect(200);
    });
  });
});
