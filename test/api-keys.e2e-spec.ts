import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type request from 'supertest';
import { capturedLogs, connect, connectSynced, eventually, JETBRAINS_CREDENTIALS, postgresEnv, TEST_API_KEY, TestHub, useFixture } from './support/fixture';
import { postgresEnabled } from './support/postgres';

/**
 * Scoped API keys through HTTP: who may call what (root, admin, read, revoked, expired, none,
 * wrong), that a key is shown once and stored only as a hash, last_used_at, and the rate limits.
 */

const WRONG_KEY = 'hub_this-key-was-never-issued-by-the-hub-000000';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The sandbox organization, connected again by each caller that may: a second account of it on purpose. */
const JETBRAINS_CONNECT = { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS, allow_duplicate: true };
/** A license the tiny dataset has already allocated: the simulator refuses it (400), which proves the write got through. */
const ASSIGN = { licenseId: 'AAAAAAA001', contact: { firstName: 'A', lastName: 'B', email: 'a@b.example' }, includeOfflineActivationCode: false, sendEmail: false };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every key the hub issued in this file: none may appear in a log line or a database file. */
const issued: string[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
async function issue(hub: TestHub, body: object): Promise<any> {
  const res = await hub.post('/api-keys', body).expect(201);
  issued.push(res.body.key);
  return res.body;
}

function as(test: request.Test, key: string | null): request.Test {
  return key === null ? test : test.set('Authorization', `Bearer ${key}`);
}

/** The database files' bytes never hold a key (nor its secret part), only hashes. */
function expectNoKeyInFiles(dataDir: string, keys: string[]): void {
  for (const file of ['hub.sqlite', 'hub.sqlite-wal']) {
    const path = join(dataDir, file);
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (const key of keys) {
      expect(bytes.includes(key)).toBe(false);
      expect(bytes.includes(key.slice(12))).toBe(false);
    }
  }
}

describe('API keys', () => {
  const fx = useFixture();

  afterAll(() => {
    // Runs once the fixture closed every hub: whatever happened above, no log line carries a key.
    const all = capturedLogs.join('\n');
    expect(issued.length).toBeGreaterThan(5);
    for (const key of issued) {
      expect(all).not.toContain(key);
      expect(all).not.toContain(key.slice(12));
    }
    expect(all).not.toContain(TEST_API_KEY);
  });

  describe('who may call what', () => {
    const PRINCIPALS = { root: 0, admin: 1, read: 2, revoked: 3, expired: 4, none: 5, wrong: 6 } as const;
    type Who = keyof typeof PRINCIPALS;
    let hub: TestHub;
    let accountId: string;
    const keys: Record<string, string | null> = { root: TEST_API_KEY, none: null, wrong: WRONG_KEY };
    /** One account per principal for DELETE, so each allowed delete has something to delete. */
    const victims: Record<string, string> = {};

    beforeAll(async () => {
      ({ hub } = await fx.jetbrains({ dataset: 'tiny' }));
      accountId = (await connectSynced(hub)).id;
      keys.admin = (await issue(hub, { name: 'admin', scope: 'admin' })).key;
      keys.read = (await issue(hub, { name: 'read', scope: 'read' })).key;
      const revoked = await issue(hub, { name: 'revoked', scope: 'admin' });
      // Used once (so it sits in the lookup cache), then revoked: refused from the next request on.
      await as(hub.raw().get('/integrated-accounts'), revoked.key).expect(200);
      await hub.delete(`/api-keys/${revoked.id}`).expect(200, { id: revoked.id });
      keys.revoked = revoked.key;
      const expiring = await issue(hub, { name: 'expiring', scope: 'admin', expires_at: new Date(Date.now() + 1500).toISOString() });
      await as(hub.raw().get('/integrated-accounts'), expiring.key).expect(200);
      keys.expired = expiring.key;
      for (const who of Object.keys(PRINCIPALS)) victims[who] = (await connect(hub)).id;
      await sleep(Math.max(0, Date.parse(expiring.expires_at) - Date.now() + 50));
    });

    const DENIED = [401, 401, 401, 401];
    // Expected status per principal, in PRINCIPALS' order. The admin proxy POST reaches the
    // simulator, which refuses to assign an allocated license (400, passed through).
    const MATRIX: [string, (who: Who) => request.Test, number[]][] = [
      ['GET users', (w) => as(hub.raw().get(`/unified/user-directory/users?integrated_account_id=${accountId}`), keys[w]!), [200, 200, 200, ...DENIED]],
      ['GET accounts', (w) => as(hub.raw().get('/integrated-accounts'), keys[w]!), [200, 200, 200, ...DENIED]],
      ['POST accounts', (w) => as(hub.raw().post('/integrated-accounts'), keys[w]!).send(JETBRAINS_CONNECT), [201, 201, 403, ...DENIED]],
      ['POST sync', (w) => as(hub.raw().post(`/integrated-accounts/${accountId}/sync`), keys[w]!), [202, 202, 403, ...DENIED]],
      ['POST test', (w) => as(hub.raw().post(`/integrated-accounts/${accountId}/test`), keys[w]!), [200, 200, 403, ...DENIED]],
      ['proxy GET', (w) => as(hub.raw().get(`/proxy/customer/licenses?perPage=2&integrated_account_id=${accountId}`), keys[w]!), [200, 200, 200, ...DENIED]],
      ['proxy POST', (w) => as(hub.raw().post(`/proxy/customer/licenses/assign?integrated_account_id=${accountId}`), keys[w]!).send(ASSIGN), [400, 400, 403, ...DENIED]],
      ['DELETE account', (w) => as(hub.raw().delete(`/integrated-accounts/${victims[w]}`), keys[w]!), [200, 200, 403, ...DENIED]],
      ['GET api-keys', (w) => as(hub.raw().get('/api-keys'), keys[w]!), [200, 200, 403, ...DENIED]],
      ['POST api-keys', (w) => as(hub.raw().post('/api-keys'), keys[w]!).send({ name: `by ${w}`, scope: 'read' }), [201, 201, 403, ...DENIED]],
    ];

    describe.each(MATRIX)('%s', (_route, call, statuses) => {
      it.each(Object.keys(PRINCIPALS) as Who[])('key: %s', async (who) => {
        const res = await call(who);
        const expected = statuses[PRINCIPALS[who]]!;
        if (res.status !== expected) throw new Error(`${who}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
        if (res.body?.key) issued.push(res.body.key);
        if (expected === 403) {
          expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', details: { code: 'FORBIDDEN_SCOPE', scope: 'read', required_scope: 'admin' } });
          expect(res.body.message).toMatch(/read scope/);
        }
        if (who === 'expired') {
          expect(res.body).toMatchObject({ statusCode: 401, details: { code: 'API_KEY_EXPIRED' } });
          expect(res.body.message).toMatch(/expired at/);
        }
        if (who === 'revoked' || who === 'wrong' || who === 'none') {
          // The same answer whether the key never existed, was revoked or is missing.
          expect(res.body).toEqual({
            statusCode: 401,
            error: 'Unauthorized',
            message: 'Missing or wrong API key: send Authorization: Bearer <HUB_API_KEY or a key from POST /api-keys>',
            details: { code: 'UNAUTHORIZED' },
          });
        }
      });
    });

    it('refuses a write with a read key before reading its body', async () => {
      // Not JSON, and larger than the body limit: had the hub read it, it would answer 400 or 413.
      const body = '{'.repeat(2 * 1024 * 1024);
      const res = await as(hub.raw().post('/integrated-accounts'), keys.read!).set('Content-Type', 'application/json').send(body).expect(403);
      expect(res.body.details).toMatchObject({ code: 'FORBIDDEN_SCOPE', scope: 'read', required_scope: 'admin' });
      await as(hub.raw().delete('/integrated-accounts/nope'), keys.read!).expect(403);
    });

    it('lets a read key read the OpenAPI document, which names the scope of each write', async () => {
      const doc = (await as(hub.raw().get('/docs-json'), keys.read!).expect(200)).body;
      expect(doc.paths['/integrated-accounts'].post['x-hub-scope']).toBe('admin');
      expect(doc.paths['/integrated-accounts/{id}/sync'].post['x-hub-scope']).toBe('admin');
      expect(doc.paths['/api-keys'].get['x-hub-scope']).toBe('admin');
      expect(doc.paths['/api-keys'].post.responses['403']).toBeDefined();
      expect(doc.paths['/integrated-accounts'].get['x-hub-scope']).toBeUndefined();
      const proxy = Object.entries(doc.paths).find(([path]) => path.startsWith('/proxy/'))![1] as Record<string, Record<string, unknown>>;
      expect(proxy.post!['x-hub-scope']).toMatch(/read for GET and HEAD; admin/);
      const denied = await as(hub.raw().get('/docs-json'), keys.revoked!).expect(401);
      expect(denied.body.details).toEqual({ code: 'UNAUTHORIZED' });
      await as(hub.raw().get('/docs-json'), keys.expired!).expect(401);
    });
  });

  describe('issuing, listing and revoking', () => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await fx.hub();
    });

    it('shows a recognisable key once; lists and reads never show it or its hash', async () => {
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const created = await issue(hub, { name: 'CI reporting', scope: 'read', expires_at: expiresAt });
      expect(created).toEqual({
        id: expect.any(String),
        name: 'CI reporting',
        scope: 'read',
        tenant_id: null,
        prefix: created.key.slice(0, 12),
        created_at: expect.any(String),
        expires_at: expiresAt,
        last_used_at: null,
        key: expect.stringMatching(/^hub_[A-Za-z0-9_-]{43}$/),
      });
      const list = await hub.get('/api-keys').expect(200);
      const one = await hub.get(`/api-keys/${created.id}`).expect(200);
      const { key: _key, ...view } = created;
      expect(one.body).toEqual(view);
      expect(list.body).toMatchObject({ result: [view], next_cursor: null, result_count: 1 });
      for (const text of [JSON.stringify(list.body), JSON.stringify(one.body)]) {
        expect(text).not.toContain(created.key.slice(12));
        expect(text).not.toContain(sha256(created.key));
      }
      // The database holds the hash, never the key.
      await as(hub.raw().get('/integrations'), created.key).expect(200);
      expectNoKeyInFiles(hub.dataDir, issued);
    });

    it('pages the list with signed cursors', async () => {
      for (let i = 0; i < 3; i++) await issue(hub, { name: `paged ${i}`, scope: 'admin' });
      const first = await hub.get('/api-keys?limit=2').expect(200);
      expect(first.body.result).toHaveLength(2);
      const second = await hub.get(`/api-keys?limit=2&next_cursor=${encodeURIComponent(first.body.next_cursor)}`).expect(200);
      const ids = [...first.body.result, ...second.body.result].map((k: { id: string }) => k.id);
      expect(new Set(ids).size).toBe(ids.length);
      await hub.get('/api-keys?next_cursor=forged.cursor').expect(400);
    });

    it.each([
      [{ scope: 'read' }, /name must be a string of 1 to 100 characters/],
      [{ name: '', scope: 'read' }, /name must be a string of 1 to 100 characters/],
      [{ name: 'x'.repeat(101), scope: 'read' }, /name must be a string of 1 to 100 characters/],
      [{ name: 'k' }, /scope must be "admin" or "read"/],
      [{ name: 'k', scope: 'write' }, /scope must be "admin" or "read"/],
      [{ name: 'k', scope: 'read', expires_at: 'next tuesday' }, /expires_at must be an ISO 8601 date/],
      [{ name: 'k', scope: 'read', expires_at: '2020-01-01T00:00:00Z' }, /expires_at must be in the future/],
      [{ name: 'k', scope: 'read', tenant_id: '' }, /tenant_id must be 1 to 100 characters/],
      [{ name: 'k', scope: 'read', tenant_id: 'acme corp' }, /tenant_id must be 1 to 100 characters/],
      [{ name: 'k', scope: 'read', tenant_id: 't/../b' }, /tenant_id must be 1 to 100 characters/],
      [{ name: 'k', scope: 'read', tenant_id: 'x'.repeat(101) }, /tenant_id must be 1 to 100 characters/],
      [{ name: 'k', scope: 'read', tenant_id: 7 }, /tenant_id must be 1 to 100 characters/],
    ])('refuses %o with 400 and a message', async (body, message) => {
      const res = await hub.post('/api-keys', body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, details: { code: 'VALIDATION_FAILED' } });
      expect(res.body.message).toMatch(message);
    });

    it('refuses a revoked key at once, and forgets it in reads', async () => {
      const key = await issue(hub, { name: 'short-lived', scope: 'admin' });
      await as(hub.raw().get('/api-keys'), key.key).expect(200);
      // Revoked with its own (admin) key; the very next request with it is refused.
      await as(hub.raw().delete(`/api-keys/${key.id}`), key.key).expect(200);
      await as(hub.raw().get('/api-keys'), key.key).expect(401);
      const missing = await hub.get(`/api-keys/${key.id}`).expect(404);
      expect(missing.body.details).toEqual({ code: 'API_KEY_NOT_FOUND' });
      await hub.delete(`/api-keys/${key.id}`).expect(404);
      const list = await hub.get('/api-keys?limit=200').expect(200);
      expect(list.body.result.map((k: { id: string }) => k.id)).not.toContain(key.id);
    });

    it('keeps last_used_at, written at most once a minute', async () => {
      const key = await issue(hub, { name: 'used', scope: 'read' });
      await as(hub.raw().get('/integrations'), key.key).expect(200);
      const first = (await hub.get(`/api-keys/${key.id}`).expect(200)).body.last_used_at;
      expect(Date.now() - Date.parse(first)).toBeLessThan(5_000);
      await sleep(20);
      await as(hub.raw().get('/integrations'), key.key).expect(200);
      expect((await hub.get(`/api-keys/${key.id}`).expect(200)).body.last_used_at).toBe(first);
      // A minute later (the hub runs in this process, so its clock can be moved) it is written again.
      const now = Date.now();
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
      try {
        await as(hub.raw().get('/integrations'), key.key).expect(200);
      } finally {
        clock.mockRestore();
      }
      expect((await hub.get(`/api-keys/${key.id}`).expect(200)).body.last_used_at).toBe(new Date(now + 61_000).toISOString());
    });
  });

  describe('rate limits', () => {
    it('limits each key to HUB_RATE_LIMIT requests a minute: 429 with Retry-After', async () => {
      const hub = await fx.hub({ HUB_RATE_LIMIT: '5' });
      // The root key counts too: issuing both keys is two of its five.
      const read = await issue(hub, { name: 'busy', scope: 'read' });
      const other = await issue(hub, { name: 'other', scope: 'read' });
      for (let i = 0; i < 5; i++) await as(hub.raw().get('/integrations'), read.key).expect(200);
      const limited = await as(hub.raw().get('/integrated-accounts'), read.key).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', details: { code: 'RATE_LIMITED' } });
      expect(limited.body.message).toMatch(/HUB_RATE_LIMIT/);
      // Per key: another key (and the root key) still have their own budget.
      await as(hub.raw().get('/integrations'), other.key).expect(200);
      await hub.get('/integrations').expect(200);
      await hub.raw().get('/health').expect(200);
    });

    it('answers 429 to an address\'s failed authentications for a minute after 30 of them, and still lets valid keys in', async () => {
      const hub = await fx.hub();
      // A missing key is not a guess: it does not count.
      for (let i = 0; i < 40; i++) await hub.raw().get('/integrations').expect(401);
      for (let i = 0; i < 30; i++) await as(hub.raw().get('/integrations'), `${WRONG_KEY}${i}`).expect(401);
      const locked = await as(hub.raw().get('/integrations'), WRONG_KEY).expect(429);
      expect(locked.body).toMatchObject({ statusCode: 429, details: { code: 'TOO_MANY_AUTH_FAILURES' } });
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
      await as(hub.raw().get('/integrations'), `${WRONG_KEY}-again`).expect(429);
      // A valid key is never locked out: one misbehaving client behind a shared address (a load
      // balancer, a NAT) must not lock every other client out.
      await hub.get('/integrations').expect(200);
      await hub.raw().get('/health').expect(200);
      await hub.raw().get('/docs-json').set('Authorization', `Bearer ${TEST_API_KEY}`).expect(200);
    });
  });

  (postgresEnabled() ? describe : describe.skip)('on PostgreSQL', () => {
    it('issues, authenticates, records use and revokes the same way', async () => {
      const hub = await fx.hub(await postgresEnv(fx));
      const key = await issue(hub, { name: 'pg', scope: 'read', expires_at: '2999-01-01' });
      expect(key.expires_at).toBe('2999-01-01T00:00:00.000Z');
      await as(hub.raw().get('/integrations'), key.key).expect(200);
      await as(hub.raw().post('/api-keys'), key.key).send({ name: 'x', scope: 'admin' }).expect(403);
      await eventually(async () => expect((await hub.get(`/api-keys/${key.id}`).expect(200)).body.last_used_at).not.toBeNull());
      await hub.delete(`/api-keys/${key.id}`).expect(200);
      await as(hub.raw().get('/integrations'), key.key).expect(401);
    });
  });
});

