import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type request from 'supertest';
import { HUB_DATABASE } from '../src/store/database.token';
import type { HubDatabase } from '../src/store/database';
import { MAX_SESSIONS_PER_KEY } from '../src/auth/browser-sessions.service';
import { capturedLogs, connect, JETBRAINS_CREDENTIALS, tempDataDir, TEST_API_KEY, TestHub, useFixture } from './support/fixture';

/**
 * Browser sessions through HTTP: POST /session sets an HttpOnly cookie that stands for the key (its
 * scope and tenant), writes through it need the session's CSRF token, the key's end ends it, and
 * neither the cookie nor the token is ever logged or stored.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const WRONG_KEY = 'hub_this-key-was-never-issued-by-the-hub-000000';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
type Json = any;

interface Session {
  cookie: string;
  value: string;
  csrf: string;
  body: Json;
  setCookie: string;
}

/** Every cookie value and CSRF token handed out in this file: none may reach a log or a database file. */
const handedOut: string[] = [];

async function signIn(hub: TestHub, apiKey: string, headers: Record<string, string> = {}): Promise<Session> {
  let test = hub.raw().post('/session').send({ api_key: apiKey });
  for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
  const res = await test.expect(201);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!;
  const cookie = setCookie.split(';')[0]!;
  const value = cookie.slice('hub_session='.length);
  handedOut.push(value, res.body.csrf_token);
  return { cookie, value, csrf: res.body.csrf_token, body: res.body, setCookie };
}

const withCookie = (test: request.Test, session: Session, csrf?: string) => {
  const t = test.set('Cookie', session.cookie);
  return csrf === undefined ? t : t.set('X-CSRF-Token', csrf);
};

function expectNothingInFiles(dataDir: string, secrets: string[]): void {
  for (const file of ['hub.sqlite', 'hub.sqlite-wal']) {
    const path = join(dataDir, file);
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (const secret of secrets) expect(bytes.includes(secret)).toBe(false);
  }
}

describe('browser sessions', () => {
  const fx = useFixture();
  let hub: TestHub;
  let admin: { id: string; key: string };
  let read: { id: string; key: string };
  let tenant: { id: string; key: string };

  beforeAll(async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    hub = await fx.hub({ JETBRAINS_BASE_URL: sim.baseUrl });
    const issue = async (body: object) => (await hub.post('/api-keys', body).expect(201)).body;
    admin = await issue({ name: 'browser admin', scope: 'admin' });
    read = await issue({ name: 'browser read', scope: 'read' });
    tenant = await issue({ name: 'acme admin', scope: 'admin', tenant_id: 'acme' });
    await connect(hub, { name: 'untenanted' });
    await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS, tenant_id: 'acme', name: 'acme account', allow_duplicate: true }).expect(201);
  });

  afterAll(() => {
    const logs = capturedLogs.join('\n');
    expect(handedOut.length).toBeGreaterThan(10);
    for (const secret of handedOut) expect(logs).not.toContain(secret);
  });

  it('signs in with a key: an HttpOnly, SameSite=Strict cookie for the whole site, the key and a CSRF token', async () => {
    const session = await signIn(hub, admin.key);
    expect(session.body).toEqual({
      key: { id: admin.id, name: 'browser admin', scope: 'admin', tenant_id: null },
      csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expires_at: expect.any(String),
    });
    const attributes = session.setCookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    expect(attributes).not.toContain('secure');
    expect(session.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // 12 hours by default.
    const ttl = Date.parse(session.body.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(12 * 3_600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(12 * 3_600_000);
    // GET /session gives the same answer again (a page that reloaded recovers its token).
    expect((await withCookie(hub.raw().get('/session'), session).expect(200)).body).toEqual(session.body);
    // Any route accepts the cookie instead of the bearer header.
    await withCookie(hub.raw().get('/integrated-accounts'), session).expect(200);
  });

  it('signing in again from the same browser ends the session its cookie held', async () => {
    const first = await signIn(hub, read.key);
    const second = await signIn(hub, admin.key, { Cookie: first.cookie });
    await withCookie(hub.raw().get('/integrations'), first).expect(401);
    expect((await withCookie(hub.raw().get('/session'), second).expect(200)).body.key.id).toBe(admin.id);
  });

  it(`keeps at most ${MAX_SESSIONS_PER_KEY} sessions per key: signing in beyond that ends the oldest, not the others`, async () => {
    const many = (await hub.post('/api-keys', { name: 'signs in a lot', scope: 'read' }).expect(201)).body as { id: string; key: string };
    const sessions: Session[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_KEY + 2; i++) sessions.push(await signIn(hub, many.key));
    const db = hub.app.get<HubDatabase>(HUB_DATABASE);
    const rows = await db.selectFrom('browser_sessions').select('id').where('key_id', '=', many.id).execute();
    expect(rows).toHaveLength(MAX_SESSIONS_PER_KEY);
    for (const gone of sessions.slice(0, 2)) await withCookie(hub.raw().get('/session'), gone).expect(401);
    for (const kept of [sessions[2]!, sessions[sessions.length - 1]!]) await withCookie(hub.raw().get('/session'), kept).expect(200);
    // Other keys' sessions are untouched.
    const other = await signIn(hub, admin.key);
    await withCookie(hub.raw().get('/session'), other).expect(200);
  });

  it('a cross-site form cannot sign a browser in (login CSRF): only a JSON body, which needs CORS, is read', async () => {
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', `api_key=${TEST_API_KEY}`],
      ['text/plain', JSON.stringify({ api_key: TEST_API_KEY })],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n${TEST_API_KEY}\r\n--x--`],
    ]) {
      const res = await hub.raw().post('/session').set('Content-Type', type!).send(body!);
      expect(res.status).toBe(415);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('signs in with the root key too (key id root)', async () => {
    const session = await signIn(hub, TEST_API_KEY);
    expect(session.body.key).toEqual({ id: 'root', name: 'root', scope: 'admin', tenant_id: null });
    await withCookie(hub.raw().get('/api-keys'), session).expect(200);
  });

  it('refuses a wrong, revoked, expired key or a connect token like a bad bearer key, and counts the failures', async () => {
    const asBearer = await hub.raw().get('/integrations').set('Authorization', `Bearer ${WRONG_KEY}`).expect(401);
    const wrong = await hub.raw().post('/session').send({ api_key: WRONG_KEY }).expect(401);
    expect(wrong.body).toEqual(asBearer.body);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    await hub.raw().post('/session').send({ api_key: 'hubcs_' + 'a'.repeat(43) }).expect(401);
    await hub.raw().post('/session').send({}).expect(400);
    await hub.raw().post('/session').send({ api_key: 42 }).expect(400);
    const revoked = (await hub.post('/api-keys', { name: 'gone', scope: 'admin' }).expect(201)).body;
    await hub.delete(`/api-keys/${revoked.id}`).expect(200);
    expect((await hub.raw().post('/session').send({ api_key: revoked.key }).expect(401)).body.details.code).toBe('UNAUTHORIZED');
    const failed = (await hub.get('/audit-events?action=session.created&limit=1').expect(200)).body.result[0];
    expect(failed).toMatchObject({ actor: { key_id: 'anonymous' }, outcome: 'failure', status: 401, error_code: 'UNAUTHORIZED' });
    const ok = await signIn(hub, read.key);
    const created = (await hub.get('/audit-events?action=session.created&limit=1').expect(200)).body.result[0];
    expect(created).toMatchObject({ actor: { key_id: read.id, name: 'browser read' }, outcome: 'success', status: 201, target: { type: 'api_key', id: read.id } });
    expect(JSON.stringify(created)).not.toContain(ok.value);
  });

  it('locks an address out after 30 failed sign-ins like failed bearer keys; a valid key still gets in', async () => {
    const locked = await fx.hub();
    for (let i = 0; i < 30; i++) await locked.raw().post('/session').send({ api_key: `${WRONG_KEY}${i}` }).expect(401);
    const refused = await locked.raw().post('/session').send({ api_key: WRONG_KEY }).expect(429);
    expect(refused.body.details.code).toBe('TOO_MANY_AUTH_FAILURES');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await signIn(locked, TEST_API_KEY);
  });

  it('acts with exactly the key\'s scope and tenant', async () => {
    const reader = await signIn(hub, read.key);
    const refused = await withCookie(hub.raw().post('/api-keys'), reader, reader.csrf).send({ name: 'x', scope: 'admin' }).expect(403);
    expect(refused.body.details.code).toBe('FORBIDDEN_SCOPE');
    await withCookie(hub.raw().get('/integrated-accounts'), reader).expect(200);
    const acme = await signIn(hub, tenant.key);
    expect(acme.body.key.tenant_id).toBe('acme');
    const seen = (await withCookie(hub.raw().get('/integrated-accounts?limit=200'), acme).expect(200)).body.result as Json[];
    expect(seen.map((a) => a.tenant_id)).toEqual(['acme']);
    const keys = await withCookie(hub.raw().get('/api-keys'), acme).expect(403);
    expect(keys.body.details.code).toBe('FORBIDDEN_TENANT');
  });

  describe('CSRF', () => {
    let a: Session;
    let b: Session;
    const write = (session: Session, csrf?: string) => withCookie(hub.raw().post('/api-keys'), session, csrf).send({ name: 'via cookie', scope: 'read' });

    beforeAll(async () => {
      a = await signIn(hub, admin.key);
      b = await signIn(hub, admin.key);
    });

    it('a write through the cookie without the header, or with a wrong one, is 403 CSRF_TOKEN_INVALID, before its body is read', async () => {
      for (const csrf of [undefined, '', 'wrong', a.csrf.slice(0, -1), `${a.csrf}x`]) {
        const res = await write(a, csrf).expect(403);
        expect(res.body.details).toEqual({ code: 'CSRF_TOKEN_INVALID' });
        expect(res.body.message).toMatch(/X-CSRF-Token .*GET \/session/);
      }
      // Refused before the body is parsed: not even a JSON error.
      await withCookie(hub.raw().post('/integrated-accounts'), a).set('Content-Type', 'application/json').send('{not json').expect(403);
      for (const method of ['patch', 'delete', 'put'] as const) {
        expect((await withCookie(hub.raw()[method](`/integrated-accounts/x`), a)).status).toBe(403);
      }
    });

    it('the token of session B with the cookie of session A is refused', async () => {
      expect(a.csrf).not.toBe(b.csrf);
      expect((await write(a, b.csrf).expect(403)).body.details.code).toBe('CSRF_TOKEN_INVALID');
      expect((await write(b, a.csrf).expect(403)).body.details.code).toBe('CSRF_TOKEN_INVALID');
    });

    it('the session\'s own token lets the write through; reads never need it', async () => {
      const created = await write(a, a.csrf).expect(201);
      handedOut.push(created.body.key);
      await withCookie(hub.raw().get('/api-keys'), a).expect(200);
      await withCookie(hub.raw().head('/integrations'), a).expect(200);
    });

    it('a bearer request needs no CSRF token, and the bearer header wins over the cookie', async () => {
      await hub.raw().post('/api-keys').set('Authorization', `Bearer ${TEST_API_KEY}`).send({ name: 'bearer', scope: 'read' }).expect(201);
      // A read key's bearer with an admin session's cookie: the read key decides (403 scope, not CSRF).
      const res = await withCookie(hub.raw().post('/api-keys'), a).set('Authorization', `Bearer ${read.key}`).send({ name: 'x', scope: 'read' }).expect(403);
      expect(res.body.details.code).toBe('FORBIDDEN_SCOPE');
      // A wrong bearer is not rescued by a good cookie.
      await withCookie(hub.raw().get('/integrations'), a).set('Authorization', `Bearer ${WRONG_KEY}`).expect(401);
    });

    it('signing out needs the token too, then ends the session and clears the cookie', async () => {
      expect((await withCookie(hub.raw().delete('/session'), b).expect(403)).body.details.code).toBe('CSRF_TOKEN_INVALID');
      const out = await withCookie(hub.raw().delete('/session'), b, b.csrf).expect(204);
      expect(String(out.headers['set-cookie'])).toMatch(/hub_session=;.*Expires=Thu, 01 Jan 1970/);
      const after = await withCookie(hub.raw().get('/integrations'), b).expect(401);
      expect(after.body.details.code).toBe('UNAUTHORIZED');
      expect(after.body.message).toMatch(/session has ended.*POST \/session/);
      expect((await withCookie(hub.raw().get('/session'), b).expect(401)).body.details.code).toBe('UNAUTHENTICATED');
      await withCookie(hub.raw().get('/integrations'), a).expect(200);
      const ended = (await hub.get('/audit-events?action=session.ended&limit=1').expect(200)).body.result[0];
      expect(ended).toMatchObject({ actor: { key_id: admin.id }, outcome: 'success', status: 204 });
    });

    it('a read key signs out too (its only write), and its session is gone', async () => {
      const reader = await signIn(hub, read.key);
      expect((await withCookie(hub.raw().delete('/session'), reader).expect(403)).body.details.code).toBe('CSRF_TOKEN_INVALID');
      await withCookie(hub.raw().delete('/session'), reader, reader.csrf).expect(204);
      expect((await withCookie(hub.raw().get('/session'), reader).expect(401)).body.details.code).toBe('UNAUTHENTICATED');
      // Still its only write: a DELETE anywhere else needs an admin key.
      const again = await signIn(hub, read.key);
      expect((await withCookie(hub.raw().delete(`/api-keys/${read.id}`), again, again.csrf).expect(403)).body.details.code).toBe('FORBIDDEN_SCOPE');
    });
  });

  it('the proxy takes the cookie too: reads without the token, writes with it', async () => {
    const session = await signIn(hub, admin.key);
    const id = (await hub.get('/integrated-accounts?limit=1').expect(200)).body.result[0].id;
    await withCookie(hub.raw().get(`/proxy/customer/licenses?perPage=1&integrated_account_id=${id}`), session).expect(200);
    // A license the dataset has allocated already: the simulator refuses it (400), so the write got through.
    const assign = { licenseId: 'AAAAAAA001', contact: { firstName: 'A', lastName: 'B', email: 'a@b.example' }, includeOfflineActivationCode: false, sendEmail: false };
    const path = `/proxy/customer/licenses/assign?integrated_account_id=${id}`;
    expect((await withCookie(hub.raw().post(path), session).send(assign).expect(403)).body.details.code).toBe('CSRF_TOKEN_INVALID');
    const through = await withCookie(hub.raw().post(path), session, session.csrf).send(assign);
    expect(through.status).toBe(400);
    expect(through.body.details?.code).toBeUndefined();
  });

  it('GET /session without a session is 401 UNAUTHENTICATED', async () => {
    for (const cookie of [undefined, 'hub_session=', `hub_session=${'x'.repeat(43)}`, 'other=1']) {
      const test = hub.raw().get('/session');
      const res = await (cookie ? test.set('Cookie', cookie) : test).expect(401);
      expect(res.body.details.code).toBe('UNAUTHENTICATED');
    }
  });

  it('revoking the key ends its sessions at once', async () => {
    const key = (await hub.post('/api-keys', { name: 'soon revoked', scope: 'admin' }).expect(201)).body;
    const session = await signIn(hub, key.key);
    await withCookie(hub.raw().get('/integrated-accounts'), session).expect(200);
    await hub.delete(`/api-keys/${key.id}`).expect(200);
    expect((await withCookie(hub.raw().get('/integrated-accounts'), session).expect(401)).body.details.code).toBe('UNAUTHORIZED');
    expect((await withCookie(hub.raw().get('/session'), session).expect(401)).body.details.code).toBe('UNAUTHENTICATED');
  });

  it('revoking on one replica ends the session on another at once (no cache)', async () => {
    const dataDir = tempDataDir();
    const one = await fx.hub({ HUB_DATA_DIR: dataDir });
    const two = await fx.hub({ HUB_DATA_DIR: dataDir });
    const key = (await one.post('/api-keys', { name: 'shared', scope: 'read' }).expect(201)).body;
    const session = await signIn(one, key.key);
    await withCookie(two.raw().get('/integrations'), session).expect(200);
    await one.delete(`/api-keys/${key.id}`).expect(200);
    await withCookie(two.raw().get('/integrations'), session).expect(401);
  });

  it('a key that expires ends its session with it; an expired session is refused', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const key = (await hub.post('/api-keys', { name: 'short', scope: 'read', expires_at: soon }).expect(201)).body;
    const session = await signIn(hub, key.key);
    expect(session.body.expires_at).toBe(soon);
    await withCookie(hub.raw().get('/integrations'), session).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await withCookie(hub.raw().get('/integrations'), session).expect(401);

    // A session past HUB_SESSION_TTL (its expires_at moved to the past, as time would).
    const other = await signIn(hub, admin.key);
    const db = hub.app.get<HubDatabase>(HUB_DATABASE);
    await db.updateTable('browser_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('token_hash', '=', sha256(other.value)).execute();
    const res = await withCookie(hub.raw().get('/integrations'), other).expect(401);
    expect(res.body.message).toMatch(/session has ended/);
  });

  it('HUB_SESSION_TTL sets how long a session lasts', async () => {
    const short = await fx.hub({ HUB_SESSION_TTL: '5m' });
    const session = await signIn(short, TEST_API_KEY);
    const ttl = Date.parse(session.body.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(290_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
    expect(session.setCookie).toMatch(/Max-Age=(29\d|300);/);
  });

  it('a root session ends when HUB_API_KEY changes', async () => {
    const dataDir = tempDataDir();
    const before = await fx.hub({ HUB_DATA_DIR: dataDir });
    const session = await signIn(before, TEST_API_KEY);
    await before.close();
    const after = await fx.hub({ HUB_DATA_DIR: dataDir, HUB_API_KEY: 'another-root-key-0123456789abcdef' });
    await withCookie(after.raw().get('/integrations'), session).expect(401);
  });

  it('sets Secure over https, believing X-Forwarded-Proto only with HUB_TRUST_PROXY', async () => {
    const spoofed = await signIn(hub, admin.key, { 'X-Forwarded-Proto': 'https' });
    expect(spoofed.setCookie.toLowerCase()).not.toContain('secure');
    const proxied = await fx.hub({ HUB_TRUST_PROXY: 'loopback' });
    const secure = await signIn(proxied, TEST_API_KEY, { 'X-Forwarded-Proto': 'https' });
    expect(secure.setCookie.split(';').map((a) => a.trim().toLowerCase())).toContain('secure');
    const plain = await signIn(proxied, TEST_API_KEY);
    expect(plain.setCookie.toLowerCase()).not.toContain('secure');
  });

  it('refuses a wrong HUB_TRUST_PROXY or HUB_SESSION_TTL at boot, naming the variable', async () => {
    await expect(fx.hub({ HUB_TRUST_PROXY: 'everyone' })).rejects.toThrow(/HUB_TRUST_PROXY must be/);
    await expect(fx.hub({ HUB_SESSION_TTL: '10s' })).rejects.toThrow(/HUB_SESSION_TTL must be at least/);
    await expect(fx.hub({ HUB_SESSION_TTL: '31d' })).rejects.toThrow(/HUB_SESSION_TTL must be at most 30d/);
  });

  it('opens /docs and /docs-json with the cookie', async () => {
    const session = await signIn(hub, read.key);
    expect((await withCookie(hub.raw().get('/docs-json'), session).expect(200)).body.openapi).toMatch(/^3\./);
    expect((await withCookie(hub.raw().get('/docs/'), session).expect(200)).text).toMatch(/swagger/i);
    const init = await withCookie(hub.raw().get('/docs/swagger-ui-init.js'), session).expect(200);
    expect(init.text).toContain('X-CSRF-Token');
    await hub.raw().get('/docs-json').expect(401);
  });

  it('stores only the hash of the cookie value, never the value nor the CSRF token', async () => {
    const session = await signIn(hub, admin.key);
    const db = hub.app.get<HubDatabase>(HUB_DATABASE);
    const rows = await db.selectFrom('browser_sessions').selectAll().execute();
    expect(rows.map((r) => r.token_hash)).toContain(sha256(session.value));
    expect(JSON.stringify(rows)).not.toContain(session.value);
    expect(JSON.stringify(rows)).not.toContain(session.csrf);
    expectNothingInFiles(hub.dataDir, handedOut);
  });
});
