import { request as httpRequest } from 'node:http';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { AuditRetention } from '../src/audit/audit-retention';
import { routeKey } from '../src/audit/audit.interceptor';
import { AUDITED_ROUTES } from '../src/audit/audited-routes';
import type { HubDatabase } from '../src/store/database';
import { HUB_DATABASE } from '../src/store/database.token';
import { listen, send } from './support/raw-http';
import { connectSynced, eventually, JETBRAINS_CREDENTIALS, TEST_API_KEY, TestHub, useFixture, walkIds } from './support/fixture';

/**
 * The audit trail: one row per write, with who, what, on what, how it went and from where; never a
 * secret; failures with their status; filters, newest-first pages, retention, and admin keys only.
 */

/** Credentials and markers that must never reach a row. */
const WRONG_API_KEY = 'wrong-token-never-stored-0123456789';
const PATCHED_API_KEY = 'patched-token-never-stored-0123456789';
const BODY_MARKER = 'body-marker-never-stored@corp.example';
const QUERY_MARKER = 'query-value-never-stored';
const ASSIGN = { licenseId: 'AAAAAAA001', contact: { firstName: 'A', lastName: 'B', email: BODY_MARKER }, includeOfflineActivationCode: false, sendEmail: false };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
type Event = any;

describe('audit trail', () => {
  const fx = useFixture();
  let hub: TestHub;
  const keys: string[] = [];

  beforeAll(async () => {
    ({ hub } = await fx.jetbrains({ dataset: 'tiny' }));
  });

  /** The newest event of `action` (filtered by the API itself). */
  async function latest(action: string): Promise<Event> {
    const body = (await hub.get(`/audit-events?action=${action}&limit=1`).expect(200)).body;
    expect(body.result).toHaveLength(1);
    return body.result[0];
  }

  const asKey = (key: string) => ({
    get: (path: string) => hub.raw().get(path).set('Authorization', `Bearer ${key}`),
    post: (path: string, body?: object) => hub.raw().post(path).set('Authorization', `Bearer ${key}`).send(body),
    delete: (path: string) => hub.raw().delete(path).set('Authorization', `Bearer ${key}`),
  });

  it('records each write with who, what, target, outcome and address; failures with their status', async () => {
    const root = { key_id: 'root', name: 'root' };
    const { id } = await connectSynced(hub);
    expect(await latest('integrated_account.created')).toMatchObject({
      actor: root, tenant_id: null, target: { type: 'integrated_account', id }, outcome: 'success', status: 201, error_code: null,
      client_ip: expect.stringMatching(/^(127\.0\.0\.1|::1)$/), details: { integration: 'jetbrains' }, occurred_at: expect.any(String),
    });

    await hub.post('/integrated-accounts', { integration: 'jetbrains', credentials: { ...JETBRAINS_CREDENTIALS, api_key: WRONG_API_KEY }, allow_duplicate: true }).expect(400);
    expect(await latest('integrated_account.created')).toMatchObject({
      target: { type: 'integrated_account', id: null }, outcome: 'failure', status: 400, error_code: 'UPSTREAM_AUTH_FAILED', details: { integration: null },
    });

    await hub.patch(`/integrated-accounts/${id}`, { name: 'Renamed' }).expect(200);
    expect(await latest('integrated_account.updated')).toMatchObject({ target: { id }, outcome: 'success', status: 200, details: { credentials_changed: false, name_changed: true } });
    await hub.patch(`/integrated-accounts/${id}`, { credentials: { ...JETBRAINS_CREDENTIALS, api_key: PATCHED_API_KEY } }).expect(400);
    expect(await latest('integrated_account.updated')).toMatchObject({ outcome: 'failure', status: 400, error_code: 'UPSTREAM_AUTH_FAILED', details: { credentials_changed: true, name_changed: false } });
    await hub.patch(`/integrated-accounts/${id}`, { credentials: JETBRAINS_CREDENTIALS }).expect(200);
    expect(await latest('integrated_account.updated')).toMatchObject({ outcome: 'success', details: { credentials_changed: true } });
    await hub.patch(`/integrated-accounts/${id}`, { colour: 'red' }).expect(400);
    expect(await latest('integrated_account.updated')).toMatchObject({ outcome: 'failure', status: 400, error_code: 'VALIDATION_FAILED' });

    await hub.post(`/integrated-accounts/${id}/test`).expect(200);
    expect(await latest('integrated_account.tested')).toMatchObject({ target: { type: 'integrated_account', id }, outcome: 'success', status: 200 });

    await hub.raw().put(`/integrated-accounts/${id}/seat-prices`).set('Authorization', `Bearer ${TEST_API_KEY}`)
      .send({ currency: 'EUR', prices: { II: { amount: 59.9, per: 'month' } } }).expect(200);
    expect(await latest('seat_prices.set')).toMatchObject({ target: { id }, outcome: 'success', status: 200, details: { currency: 'EUR' } });

    const run = (await hub.post(`/integrated-accounts/${id}/sync`).expect(202)).body;
    expect(await latest('sync_run.started')).toMatchObject({ target: { type: 'integrated_account', id }, status: 202, details: { sync_run_id: run.id, trigger: 'manual' } });
    await hub.post('/integrated-accounts/no-such-account/sync').expect(404);
    expect(await latest('sync_run.started')).toMatchObject({ target: { id: 'no-such-account' }, outcome: 'failure', status: 404, error_code: 'ACCOUNT_NOT_FOUND', details: { sync_run_id: null } });
    await hub.raw().put(`/integrated-accounts/${id}/seat-prices`).set('Authorization', `Bearer ${TEST_API_KEY}`).send({ currency: 'euros', prices: {} }).expect(400);
    expect(await latest('seat_prices.set')).toMatchObject({ outcome: 'failure', status: 400, error_code: 'VALIDATION_FAILED', details: { currency: null } });

    // A proxied write the upstream refuses: its status is passed on and recorded; path and query names only.
    await hub.raw().post(`/proxy/customer/licenses/assign?integrated_account_id=${id}&note=${QUERY_MARKER}`)
      .set('Authorization', `Bearer ${TEST_API_KEY}`).send(ASSIGN).expect(400);
    expect(await latest('proxy.write')).toMatchObject({
      target: { type: 'integrated_account', id }, outcome: 'failure', status: 400, error_code: null,
      details: { method: 'POST', path: '/customer/licenses/assign', query_keys: ['note'], upstream_status: 400 },
    });
    // A proxied read is not a write.
    await hub.get(`/proxy/customer/licenses?perPage=1&integrated_account_id=${id}`).expect(200);
    expect((await latest('proxy.write')).details.method).toBe('POST');

    // Keys: created by root, then by that key (named), revoked by it.
    const ops = (await hub.post('/api-keys', { name: 'ops', scope: 'admin' }).expect(201)).body;
    keys.push(ops.key);
    expect(await latest('api_key.created')).toMatchObject({ actor: root, target: { type: 'api_key', id: ops.id }, status: 201, details: { name: 'ops', scope: 'admin' } });
    const reader = (await asKey(ops.key).post('/api-keys', { name: 'reader', scope: 'read' }).expect(201)).body;
    keys.push(reader.key);
    expect(await latest('api_key.created')).toMatchObject({ actor: { key_id: ops.id, name: 'ops' }, target: { id: reader.id } });
    await asKey(ops.key).delete(`/api-keys/${reader.id}`).expect(200);
    expect(await latest('api_key.revoked')).toMatchObject({ actor: { key_id: ops.id, name: 'ops' }, target: { type: 'api_key', id: reader.id }, outcome: 'success', status: 200 });
    await asKey(ops.key).delete(`/api-keys/${reader.id}`).expect(404);
    expect(await latest('api_key.revoked')).toMatchObject({ outcome: 'failure', status: 404, error_code: 'API_KEY_NOT_FOUND' });

    await hub.delete(`/integrated-accounts/${id}`).expect(200);
    expect(await latest('integrated_account.deleted')).toMatchObject({ target: { id }, outcome: 'success', status: 200 });
    await hub.delete(`/integrated-accounts/${id}`).expect(404);
    expect(await latest('integrated_account.deleted')).toMatchObject({ target: { id }, outcome: 'failure', status: 404, error_code: 'ACCOUNT_NOT_FOUND' });
  }, 60_000);

  it('holds no credential, key, body or query value in any row', async () => {
    const rows = await hub.app.get<HubDatabase>(HUB_DATABASE).selectFrom('audit_events').selectAll().execute();
    expect(rows.length).toBeGreaterThan(15);
    const table = JSON.stringify(rows);
    for (const secret of [JETBRAINS_CREDENTIALS.api_key, JETBRAINS_CREDENTIALS.customer_code, WRONG_API_KEY, PATCHED_API_KEY, TEST_API_KEY, BODY_MARKER, QUERY_MARKER, ...keys, ...keys.map((k) => k.slice(12))]) {
      expect(table).not.toContain(secret);
    }
  });

  it('filters by action and tenant, pages newest first with cursors bound to the filters', async () => {
    const all = await walkIds(async (q) => (await hub.get(`/audit-events?limit=3${q}`).expect(200)).body);
    expect(all.length).toBeGreaterThan(15);
    expect([...all].sort().reverse()).toEqual(all);
    const first = (await hub.get('/audit-events?limit=1').expect(200)).body.result[0];
    expect(first.action).toBe('integrated_account.deleted');

    const updates = await walkIds(async (q) => (await hub.get(`/audit-events?action=integrated_account.updated&limit=2${q}`).expect(200)).body);
    expect(updates).toHaveLength(4);
    expect((await hub.get('/audit-events?tenant_id=t-none').expect(200)).body).toEqual({ result: [], next_cursor: null, result_count: 0 });

    const cursor = (await hub.get('/audit-events?action=integrated_account.updated&limit=1').expect(200)).body.next_cursor;
    const other = await hub.get(`/audit-events?action=api_key.created&next_cursor=${encodeURIComponent(cursor)}`).expect(400);
    expect(other.body.details.code).toBe('INVALID_CURSOR');
    const unknown = await hub.get('/audit-events?action=everything').expect(400);
    expect(unknown.body.message).toMatch(/action must be one of .*integrated_account\.created/);
  });

  it('is for admin keys: a read key gets 403 FORBIDDEN_SCOPE (here and on GET /admin/encryption)', async () => {
    const reader = (await hub.post('/api-keys', { name: 'auditor', scope: 'read' }).expect(201)).body;
    keys.push(reader.key);
    for (const path of ['/audit-events', '/admin/encryption']) {
      const res = await asKey(reader.key).get(path).expect(403);
      expect(res.body.details.code).toBe('FORBIDDEN_SCOPE');
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await hub.get('/docs-json').expect(200)).body;
    const audit = doc.paths['/audit-events'].get;
    expect(audit['x-hub-scope']).toBe('admin');
    expect(audit.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['action', 'limit', 'next_cursor', 'tenant_id']);
    expect(doc.paths['/admin/encryption'].get['x-hub-scope']).toBe('admin');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['AuditEventPage', 'AuditEventView', 'EncryptionStatusView']));
  });

  it('prunes events older than HUB_AUDIT_RETENTION, at boot and when the prune runs', async () => {
    const retained = await fx.hub({ HUB_AUDIT_RETENTION: '2d' });
    const db = retained.app.get<HubDatabase>(HUB_DATABASE);
    const day = 86_400_000;
    const row = (id: string, ageMs: number) => ({
      id, occurred_at: new Date(Date.now() - ageMs).toISOString(), tenant_id: null, actor_key_id: 'root', actor_name: 'root',
      action: 'api_key.created', target_type: 'api_key', target_id: id, outcome: 'success', status: 201, error_code: null, client_ip: null, details: '{}',
    });
    await db.insertInto('audit_events').values([row('old-3d', 3 * day), row('new-1d', day)]).execute();
    expect(await retained.app.get(AuditRetention).prune()).toBe(1);
    const ids = async (h: TestHub) => (await h.get('/audit-events').expect(200)).body.result.map((e: Event) => e.id);
    expect(await ids(retained)).toEqual(['new-1d']);

    // At boot: a hub started on that data dir with a shorter retention prunes at once.
    await db.insertInto('audit_events').values(row('old-2h', 2 * 3_600_000)).execute();
    await retained.close();
    const again = await fx.hub({ HUB_DATA_DIR: retained.dataDir, HUB_AUDIT_RETENTION: '1h' });
    await eventually(async () => expect(await ids(again)).toEqual([]));
  });

  it('records a proxied write the hub cut (504) or the client left (CLIENT_CLOSED), by status and code', async () => {
    const { hub: timed } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_PROXY_TIMEOUT: '1s' });
    const { id } = await connectSynced(timed);
    const port = await listen(timed.app);
    const path = (ms: number) => `/proxy/__sim/slow?ms=${ms}&integrated_account_id=${id}`;
    const newest = async () => (await timed.get('/audit-events?action=proxy.write&limit=1').expect(200)).body.result[0];

    expect((await send(port, 'POST', path(5000), { body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(504);
    expect(await newest()).toMatchObject({ outcome: 'failure', status: 504, error_code: 'UPSTREAM_TIMEOUT', details: { method: 'POST', path: '/__sim/slow' } });
    expect((await newest()).details.upstream_status).toBeUndefined();

    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: path(800), agent: false, headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json', 'content-length': '2' } });
      req.on('error', () => undefined);
      req.end('{}');
      setTimeout(() => (req.destroy(), resolve()), 200);
    });
    await eventually(async () => expect(await newest()).toMatchObject({ outcome: 'failure', status: 499, error_code: 'CLIENT_CLOSED' }));

    expect((await send(port, 'POST', path(0), { body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect(await newest()).toMatchObject({ outcome: 'success', status: 200, error_code: null, details: { upstream_status: 200 } });
  });

  it('knows every write route of the hub by name (a new one must be added to AUDITED_ROUTES)', () => {
    const writes: string[] = [];
    for (const module of hub.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
        if (!controller?.prototype) continue;
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = (controller.prototype as Record<string, unknown>)[name] as object;
          const method = typeof handler === 'function' ? Reflect.getMetadata(METHOD_METADATA, handler) : undefined;
          if (method === undefined || [RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS].includes(method)) continue;
          writes.push(routeKey(controller, handler));
        }
      }
    }
    expect(writes.length).toBeGreaterThanOrEqual(9);
    expect(writes.filter((route) => !(route in AUDITED_ROUTES))).toEqual([]);
  });
});
