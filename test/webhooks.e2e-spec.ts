import BetterSqlite3 from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDataset } from '../sandbox/jetbrains/dataset';
import { SIM_ADMIN_TOKEN } from '../sandbox/jetbrains/dataset';
import { OutboxWriter } from '../src/webhooks/outbox-writer';
import type { Env } from '../src/config/hub-config';
import { connectSynced, eventually, Fixture, tempDataDir, useFixture, waitForLatestRun } from './support/fixture';
import type { TestHub } from './support/fixture';
import { daysAgo, personLicense } from './support/licenses';
import { freshSchema, postgresEnabled } from './support/postgres';
import { Received, verify, WebhookReceiver } from './support/webhook-receiver';

const ago = daysAgo;

const license = personLicense;

const BEFORE = [
  license('WHKADA0001', 'II', 'ada@example.com', 'Ada Lovelace'),
  license('WHKBOB0001', 'WS', 'bob@example.com', 'Bob Builder'),
  license('WHKEVE0001', 'RD', 'eve@example.com', 'Eve Online'),
];
/** Fay added, Eve removed, Bob suspended, and Ada's new DataGrip seat unused for 100 days. */
const AFTER = [
  license('WHKADA0001', 'II', 'ada@example.com', 'Ada Lovelace'),
  license('WHKADA0002', 'DB', 'ada@example.com', 'Ada Lovelace', { lastSeen: { lastSeenDate: ago(100), lastAssignmentDate: ago(300), isOfflineCodeGenerated: false } }),
  license('WHKBOB0001', 'WS', 'bob@example.com', 'Bob Builder', { isSuspended: true }),
  license('WHKFAY0001', 'CL', 'fay@example.com', 'Fay Wray'),
];

async function addWebhook(hub: TestHub, url: string, events: string[] = ['*']): Promise<{ id: string; secret: string }> {
  const res = await hub.post('/webhooks', { url, events, description: 'test receiver' }).expect(201);
  return res.body;
}

const ids = (messages: Received[]) => messages.map((m) => m.headers['webhook-id']);

describe('webhooks', () => {
  const fx = useFixture();

  describe('endpoints', () => {
    let hub: TestHub;
    beforeAll(async () => {
      ({ hub } = await fx.jetbrains({ dataset: 'tiny' }));
    });

    it('shows the signing secret once and stores it only sealed', async () => {
      const created = (await hub.post('/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['user.added', 'sync.failed', 'user.added'] }).expect(201)).body;
      expect(created).toEqual({
        id: expect.stringMatching(/^ep_/),
        tenant_id: null,
        url: 'http://127.0.0.1:9/hooks',
        events: ['sync.failed', 'user.added'],
        description: null,
        enabled: true,
        disabled_reason: null,
        previous_secret_expires_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      });
      const read = (await hub.get(`/webhooks/${created.id}`).expect(200)).body;
      expect(read).not.toHaveProperty('secret');
      expect(JSON.stringify((await hub.get('/webhooks').expect(200)).body)).not.toContain(created.secret.slice(6));
      const db = new BetterSqlite3(join(hub.dataDir, 'hub.sqlite'), { readonly: true });
      try {
        const row = db.prepare('select * from webhook_endpoints where id = ?').get(created.id) as Record<string, string>;
        expect(JSON.stringify(row)).not.toContain(created.secret.slice(6));
        expect(JSON.parse(row.secret)).toMatchObject({ v: 1, kid: expect.any(String), ct: expect.any(String) });
      } finally {
        db.close();
      }
    });

    it('pages, changes and deletes endpoints', async () => {
      for (let i = 0; i < 3; i++) await addWebhook(hub, `http://127.0.0.1:9/page-${i}`);
      const first = (await hub.get('/webhooks?limit=2').expect(200)).body;
      expect(first.result).toHaveLength(2);
      const second = (await hub.get(`/webhooks?next_cursor=${encodeURIComponent(first.next_cursor)}`).expect(200)).body;
      const seen = [...first.result, ...second.result].map((w: { id: string }) => w.id);
      expect(new Set(seen).size).toBe(seen.length);
      const id = first.result[0].id;
      const patched = (await hub.patch(`/webhooks/${id}`, { events: ['user.removed'], description: 'changed', enabled: false }).expect(200)).body;
      expect(patched).toMatchObject({ events: ['user.removed'], description: 'changed', enabled: false });
      expect((await hub.post(`/webhooks/${id}/test`).expect(409)).body.details.code).toBe('WEBHOOK_DISABLED');
      await hub.delete(`/webhooks/${id}`).expect(200);
      expect((await hub.get(`/webhooks/${id}`).expect(404)).body).toMatchObject({ error: 'Not Found', details: { code: 'WEBHOOK_NOT_FOUND' } });
    });

    it.each([
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254.*link-local and cloud-metadata/],
      ['http://[fe80::1]/hooks', /fe80::1.*link-local/],
      ['http://[::ffff:169.254.169.254]/hooks', /link-local/],
      ['http://100.100.100.200/', /cloud-metadata/],
      ['ftp://example.com/hooks', /url must use http or https/],
      ['not a url', /absolute http\(s\) URL/],
      ['http://user:pw@127.0.0.1/hooks', /must not carry a user name/],
    ])('refuses %s with 400 and what to fix', async (url, message) => {
      const res = await hub.post('/webhooks', { url, events: ['*'] }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: { code: 'WEBHOOK_URL_NOT_ALLOWED' } });
      expect(res.body.message).toMatch(message);
      // PATCH is held to the same rule.
      const { id } = await addWebhook(hub, 'http://127.0.0.1:9/ok');
      expect((await hub.patch(`/webhooks/${id}`, { url }).expect(400)).body.details.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
    });

    it('lets a read key list endpoints but not change them', async () => {
      const { key } = (await hub.post('/api-keys', { name: 'reader', scope: 'read' }).expect(201)).body;
      const asReader = (t: import('supertest').Test) => t.set('Authorization', `Bearer ${key}`);
      await asReader(hub.raw().get('/webhooks')).expect(200);
      const refused = await asReader(hub.raw().post('/webhooks')).send({ url: 'http://127.0.0.1:9/x', events: ['*'] }).expect(403);
      expect(refused.body.details.code).toBe('FORBIDDEN_SCOPE');
      const { id } = await addWebhook(hub, 'http://127.0.0.1:9/x');
      await asReader(hub.raw().post(`/webhooks/${id}/rotate-secret`)).expect(403);
      await asReader(hub.raw().delete(`/webhooks/${id}`)).expect(403);
    });

    it('refuses unknown event names, naming the ones there are', async () => {
      const res = await hub.post('/webhooks', { url: 'http://127.0.0.1:9/x', events: ['user.deleted'] }).expect(400);
      expect(res.body.details.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(/events must be a non-empty list of integrated_account\.created, .*seat\.reclaimable, or \["\*"\]/);
    });
  });

  describe('delivery', () => {
    it('sends the change feed of a second sync, signed, in feed order, then sync.succeeded with the cursor range', () => feedIsDelivered(fx));

    it('retries a 500 with the same webhook-id until it is taken, on HUB_WEBHOOK_RETRY_SCHEDULE', async () => {
      const { hub } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s' });
      const receiver = fx.track(await WebhookReceiver.start());
      receiver.answers = [500, 500];
      const { id, secret } = await addWebhook(hub, receiver.url);
      const { message_id } = (await hub.post(`/webhooks/${id}/test`).expect(202)).body;
      await eventually(async () => expect(receiver.received.map((r) => r.answered)).toEqual([500, 500, 200]), 10_000);
      expect(ids(receiver.received)).toEqual([message_id, message_id, message_id]);
      for (const message of receiver.received) expect(verify(secret, message)).toMatchObject({ type: 'webhook.test' });
      const gaps = receiver.received.slice(1).map((r, i) => Number(r.headers['webhook-timestamp']) - Number(receiver.received[i]!.headers['webhook-timestamp']));
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(0);
      await eventually(async () =>
        expect((await hub.get(`/webhooks/${id}/deliveries`).expect(200)).body.result[0]).toMatchObject({ id: message_id, status: 'delivered', attempts: 3, last_response_code: 200 }),
      );
    });

    it('gives up after the last retry and shows it; a redirect is a failure, not followed', async () => {
      const { hub } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_WEBHOOK_RETRY_SCHEDULE: '500ms' });
      const elsewhere = fx.track(await WebhookReceiver.start());
      const receiver = fx.track(await WebhookReceiver.start());
      receiver.otherwise = { status: 307, headers: { location: elsewhere.url } };
      const { id } = await addWebhook(hub, receiver.url);
      const { message_id } = (await hub.post(`/webhooks/${id}/test`).expect(202)).body;
      await eventually(async () =>
        expect((await hub.get(`/webhooks/${id}/deliveries`).expect(200)).body.result[0]).toMatchObject({
          id: message_id, status: 'failed', attempts: 2, last_response_code: 307, last_error: 'the receiver answered 307', next_attempt_at: null,
        }),
      );
      expect(receiver.received).toHaveLength(2);
      expect(elsewhere.received).toHaveLength(0);
      expect((await hub.get(`/webhooks/${id}`).expect(200)).body.enabled).toBe(true);
    });

    it('disables the endpoint at once on 410 Gone, with the reason on GET, until PATCH enables it', async () => {
      const { hub } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_WEBHOOK_RETRY_SCHEDULE: '500ms' });
      const receiver = fx.track(await WebhookReceiver.start());
      receiver.answers = [410];
      const { id } = await addWebhook(hub, receiver.url);
      await hub.post(`/webhooks/${id}/test`).expect(202);
      await eventually(async () => expect((await hub.get(`/webhooks/${id}`).expect(200)).body).toMatchObject({ enabled: false, disabled_reason: expect.stringMatching(/410 Gone.*"enabled": true/) }));
      // Nothing more goes out while it is disabled, not even the retry.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(receiver.received).toHaveLength(1);
      expect((await hub.get(`/webhooks/${id}/deliveries`).expect(200)).body.result[0]).toMatchObject({ status: 'failed', attempts: 1, last_response_code: 410 });
      expect((await hub.patch(`/webhooks/${id}`, { enabled: true }).expect(200)).body).toMatchObject({ enabled: true, disabled_reason: null });
      await hub.post(`/webhooks/${id}/test`).expect(202);
      await eventually(async () => expect(receiver.received.map((r) => r.answered)).toEqual([410, 200]));
    });

    it('signs with both secrets after rotate-secret, each verifying on its own', async () => {
      const { hub } = await fx.jetbrains({ dataset: 'tiny' });
      const receiver = fx.track(await WebhookReceiver.start());
      const { id, secret: old } = await addWebhook(hub, receiver.url);
      const rotated = (await hub.post(`/webhooks/${id}/rotate-secret`).expect(200)).body;
      expect(rotated).toEqual({ id, secret: expect.stringMatching(/^whsec_/), previous_secret_expires_at: expect.any(String) });
      expect(Date.parse(rotated.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
      expect(rotated.secret).not.toBe(old);
      await hub.post(`/webhooks/${id}/test`).expect(202);
      await eventually(async () => expect(receiver.received).toHaveLength(1));
      const [message] = receiver.received;
      const signatures = String(message!.headers['webhook-signature']).split(' ');
      expect(signatures).toHaveLength(2);
      for (const signature of signatures) expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(verify(rotated.secret, message!)).toMatchObject({ type: 'webhook.test' });
      expect(verify(old, message!)).toMatchObject({ type: 'webhook.test' });
      // Each secret verifies with its own signature alone, too.
      for (const [secret, signature] of [[rotated.secret, signatures[0]], [old, signatures[1]]]) {
        expect(verify(secret!, { ...message!, headers: { ...message!.headers, 'webhook-signature': signature } })).toBeTruthy();
      }
      expect(() => verify(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, message!)).toThrow();
    });
  });

  describe('account and sync events', () => {
    it('tells sync.failed, needs_reauth, reactivated and deleted, without a credential', async () => {
      const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' });
      const receiver = fx.track(await WebhookReceiver.start());
      const { secret } = await addWebhook(hub, receiver.url, ['sync.failed', 'integrated_account.needs_reauth', 'integrated_account.reactivated', 'integrated_account.deleted']);
      const { id } = await connectSynced(hub);
      const tokens = sim.api.dataset.tokens;
      sim.api.dataset.tokens = tokens.filter((t) => t.apiKey !== SIM_ADMIN_TOKEN);
      await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
      const failed = await waitForLatestRun(hub, id, 'failed');
      await eventually(async () => expect(receiver.received.map((r) => r.json.type)).toEqual(['sync.failed', 'integrated_account.needs_reauth']));
      expect(receiver.received[0]!.json.data).toEqual({ integrated_account_id: id, sync_run_id: failed.id, error: { code: 'UPSTREAM_AUTH_FAILED', message: failed.error.message }, tenant_id: null });
      // A failing test of the stored credentials does not say needs_reauth twice.
      await hub.post(`/integrated-accounts/${id}/test`).expect(400);
      sim.api.dataset.tokens = tokens;
      await hub.post(`/integrated-accounts/${id}/test`).expect(200);
      await hub.delete(`/integrated-accounts/${id}`).expect(200);
      await eventually(async () =>
        expect(receiver.received.map((r) => r.json.type)).toEqual(['sync.failed', 'integrated_account.needs_reauth', 'integrated_account.reactivated', 'integrated_account.deleted']),
      );
      expect(receiver.received[3]!.json.data).toEqual({ integrated_account_id: id, integration: 'jetbrains', name: expect.any(String), status: 'deleted', tenant_id: null });
      for (const message of receiver.received) {
        verify(secret, message);
        expect(message.body).not.toContain(SIM_ADMIN_TOKEN);
      }
    });

    it('holds a sync\'s messages until its run succeeded, and drops those of a run that failed', async () => {
      const { hub } = await fx.jetbrains({ dataset: 'tiny' });
      const receiver = fx.track(await WebhookReceiver.start());
      const { id: endpoint } = await addWebhook(hub, receiver.url, ['user.added']);
      const { id } = await connectSynced(hub);
      // A second account for the doomed run: one account has one unfinished run at a time.
      const { id: other } = await connectSynced(hub);
      const db = new BetterSqlite3(join(hub.dataDir, 'hub.sqlite'));
      fx.onClose(() => db.close());
      const run = (runId: string, accountId: string) =>
        db.prepare(`insert into sync_runs (id, account_id, trigger, status, queued_at, stats) values (?, ?, 'manual', 'running', ?, '{}')`).run(runId, accountId, new Date().toISOString());
      run('run-in-progress', id);
      run('run-doomed', other);
      const writer = hub.app.get(OutboxWriter);
      const event = (runId: string, accountId: string, user: string) => ({ type: 'user.added', timestamp: new Date().toISOString(), accountId, tenantId: null, syncRunId: runId, data: { user_id: user } });
      const [doomed] = await writer.write([event('run-doomed', other, 'doomed@example.com')]);
      const [held] = await writer.write([event('run-in-progress', id, 'held@example.com')]);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(receiver.received).toHaveLength(0);
      const listed = (await hub.get(`/webhooks/${endpoint}/deliveries`).expect(200)).body.result;
      expect(listed.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([[held, 'waiting_for_sync'], [doomed, 'waiting_for_sync']]);

      db.prepare(`update sync_runs set status = 'failed' where id = 'run-doomed'`).run();
      db.prepare(`update sync_runs set status = 'succeeded' where id = 'run-in-progress'`).run();
      await eventually(async () => expect(receiver.received.map((r) => r.json.data.user_id)).toEqual(['held@example.com']));
      expect(ids(receiver.received)).toEqual([held]);
      await eventually(async () => expect((await hub.get(`/webhooks/${endpoint}/deliveries`).expect(200)).body.result.map((d: { id: string }) => d.id)).toEqual([held]));
    });

    it('still sends a succeeded run\'s messages when its account is deleted right after the switch', async () => {
      const { hub } = await fx.jetbrains({ dataset: 'tiny' });
      const receiver = fx.track(await WebhookReceiver.start());
      await addWebhook(hub, receiver.url, ['user.added', 'integrated_account.deleted']);
      const { id } = await connectSynced(hub);
      const db = new BetterSqlite3(join(hub.dataDir, 'hub.sqlite'));
      fx.onClose(() => db.close());
      db.prepare(`insert into sync_runs (id, account_id, trigger, status, queued_at, stats) values ('run-last', ?, 'manual', 'running', ?, '{}')`).run(id, new Date().toISOString());
      const [held] = await hub.app.get(OutboxWriter).write([{ type: 'user.added', timestamp: new Date().toISOString(), accountId: id, tenantId: null, syncRunId: 'run-last', data: { user_id: 'last@example.com' } }]);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(receiver.received).toHaveLength(0);
      // The switch, then at once the delete (which takes the run row along), before the dispatcher's next look.
      db.prepare(`update sync_runs set status = 'succeeded' where id = 'run-last'`).run();
      await hub.delete(`/integrated-accounts/${id}`).expect(200);
      await eventually(async () => expect(receiver.received.map((r) => r.json.type)).toEqual(['user.added', 'integrated_account.deleted']));
      expect(receiver.received[0]!.headers['webhook-id']).toBe(held);
    });

    it('disables an endpoint that failed everything for 24 h, with the reason', async () => {
      const { hub } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_WEBHOOK_RETRY_SCHEDULE: '300ms' });
      const receiver = fx.track(await WebhookReceiver.start());
      receiver.otherwise = 500;
      const { id } = await addWebhook(hub, receiver.url);
      const db = new BetterSqlite3(join(hub.dataDir, 'hub.sqlite'));
      fx.onClose(() => db.close());
      const since = new Date(Date.now() - 24 * 3_600_000 - 60_000).toISOString();
      db.prepare('update webhook_endpoints set failing_since = ? where id = ?').run(since, id);
      await hub.post(`/webhooks/${id}/test`).expect(202);
      await eventually(async () =>
        expect((await hub.get(`/webhooks/${id}`).expect(200)).body).toMatchObject({
          enabled: false,
          disabled_reason: `Every delivery since ${since} failed (the last: the receiver answered 500); the hub stopped sending. Fix the receiver, then PATCH it with "enabled": true.`,
        }),
      );
      // Nothing goes out while disabled, not even the retry that was due.
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(receiver.received).toHaveLength(1);
      // Enabled again, the 24 h count from the next failure: the retry fails (and is the last) but the endpoint stays enabled.
      await hub.patch(`/webhooks/${id}`, { enabled: true }).expect(200);
      await eventually(async () => expect(receiver.received).toHaveLength(2));
      await eventually(async () => expect((await hub.get(`/webhooks/${id}/deliveries`).expect(200)).body.result[0]).toMatchObject({ status: 'failed', attempts: 2 }));
      expect((await hub.get(`/webhooks/${id}`).expect(200)).body).toMatchObject({ enabled: true, disabled_reason: null });
    });
  });

  describe('fairness and replicas', () => {
    it('a receiver that hangs holds back neither other endpoints nor, on its own line, order', async () => {
      const { hub } = await fx.jetbrains({ dataset: 'tiny' });
      const slow = fx.track(await WebhookReceiver.start());
      slow.otherwise = 'hang';
      const fast = fx.track(await WebhookReceiver.start());
      await addWebhook(hub, slow.url);
      await addWebhook(hub, fast.url);
      await connectSynced(hub);
      await eventually(async () => expect(fast.received.map((r) => r.json.type)).toEqual(['integrated_account.created', 'sync.succeeded']), 5000);
      // The slow endpoint got the account's first message and nothing after it: the next waits.
      expect(slow.received.map((r) => r.json.type)).toEqual(['integrated_account.created']);
    });

    it('two hubs on one database send each message once', () => {
      const dataDir = tempDataDir();
      return twoHubsSendOnce(fx, { HUB_DATA_DIR: dataDir });
    });
  });

  describe('restarts', () => {
    it('delivers after a SIGKILL what was pending, with the same webhook-id', async () => {
      const receiver = fx.track(await WebhookReceiver.start());
      receiver.otherwise = 503;
      const env = { HUB_WEBHOOK_RETRY_SCHEDULE: '2s,2s,2s,2s' };
      const first = await fx.spawnHub(env);
      const created = await first.json('/webhooks', { method: 'POST', body: JSON.stringify({ url: receiver.url, events: ['*'] }) });
      const test = await first.json(`/webhooks/${created.id}/test`, { method: 'POST', body: '{}' });
      await eventually(async () => expect(receiver.received).toHaveLength(1));
      await first.kill('SIGKILL');
      receiver.otherwise = 200;
      // Nothing is sent while no hub runs.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(receiver.received).toHaveLength(1);

      const second = await fx.spawnHub({ ...env, HUB_DATA_DIR: first.dataDir });
      await eventually(async () => expect(receiver.received.map((r) => r.answered)).toEqual([503, 200]), 15_000);
      expect(ids(receiver.received)).toEqual([test.message_id, test.message_id]);
      expect(verify(created.secret, receiver.received[1]!)).toMatchObject({ type: 'webhook.test' });
      const deliveries = await second.json(`/webhooks/${created.id}/deliveries`);
      expect(deliveries.result[0]).toMatchObject({ id: test.message_id, status: 'delivered', attempts: 2 });
      // Two hub processes start (ts-node) on 2 shared cores: more than the default 30 s at times.
    }, 90_000);
  });
});

// Keeps the README's verification snippet honest: it must name the package and headers used above.
(postgresEnabled() ? describe : describe.skip)('webhooks on PostgreSQL', () => {
  const fx = useFixture();
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ url, drop } = await freshSchema()));
  afterAll(() => drop?.());

  it('delivers the change feed of a second sync', () => feedIsDelivered(fx, { HUB_DATABASE_URL: url }));
  it('two hubs on one database send each message once', () => twoHubsSendOnce(fx, { HUB_DATABASE_URL: url }));
});

describe('README webhooks section', () => {
  it('shows verifying with standardwebhooks', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/### Webhooks[\s\S]*require\('standardwebhooks'\)[\s\S]*webhook-signature/);
  });
});

/** After a second sync that changed the organization, the receiver has the feed's changes, signed. */
async function feedIsDelivered(fx: Fixture, env: Env = {}): Promise<void> {
  const dataset = buildDataset('tiny');
  dataset.licenses = BEFORE;
  const { sim, hub } = await fx.jetbrains({ dataset }, env);
  const receiver = fx.track(await WebhookReceiver.start());
  const { secret } = await addWebhook(hub, receiver.url);
  const { id } = await connectSynced(hub);
  await eventually(async () => expect(receiver.ofType('sync.succeeded')).toHaveLength(1));
  expect(receiver.ofType('integrated_account.created')[0]!.json.data).toEqual({ integrated_account_id: id, integration: 'jetbrains', name: expect.any(String), status: 'active', tenant_id: null });
  // The first sync is the baseline: no change, an empty range.
  expect(receiver.ofType('sync.succeeded')[0]!.json.data.changes).toEqual({ first_id: null, last_id: null });

  sim.api.dataset = { ...sim.api.dataset, licenses: AFTER };
  sim.api.clearCache();
  await hub.post(`/integrated-accounts/${id}/sync`).expect(202);
  const run = await waitForLatestRun(hub, id);
  await eventually(async () => expect(receiver.ofType('sync.succeeded')).toHaveLength(2));

  const feed = (await hub.get(`/unified/user-directory/changes?integrated_account_id=${id}`).expect(200)).body.result;
  expect(feed.length).toBeGreaterThanOrEqual(4);
  const afterFirst = receiver.received.slice(receiver.received.indexOf(receiver.ofType('sync.succeeded')[0]!) + 1);
  const changes = afterFirst.filter((m) => m.json.type !== 'sync.succeeded');
  // Exactly the feed, in its order, each as the feed serves it plus the account and its tenant; sync.succeeded last.
  expect(changes.map((m) => m.json.data)).toEqual(feed.map((c: object) => ({ ...c, integrated_account_id: id, tenant_id: null })));
  expect(changes.map((m) => m.json.type)).toEqual(feed.map((c: { type: string }) => c.type));
  expect(new Set(changes.map((m) => m.json.type))).toEqual(new Set(['user.added', 'user.removed', 'user.updated', 'seat.reclaimable']));
  expect(afterFirst[afterFirst.length - 1]!.json.type).toBe('sync.succeeded');
  const succeeded = receiver.ofType('sync.succeeded')[1]!.json;
  expect(succeeded.data).toMatchObject({
    integrated_account_id: id,
    sync_run_id: run.id,
    counts: { users_added: 1, users_removed: 1, changes: feed.length },
    changes: { first_id: feed[0].id, last_id: feed[feed.length - 1].id },
  });
  for (const message of receiver.received) {
    expect(verify(secret, message)).toEqual(message.json);
    expect(message.json).toEqual({ type: expect.any(String), timestamp: expect.any(String), data: expect.any(Object) });
    expect(message.body).not.toMatch(/remote_data|api_key|customer_code/);
  }
  expect(new Set(ids(receiver.received)).size).toBe(receiver.received.length);
  // What GET /webhooks/:id/deliveries shows, newest first.
  const endpoint = (await hub.get('/webhooks').expect(200)).body.result[0].id;
  const deliveries = (await hub.get(`/webhooks/${endpoint}/deliveries?limit=1`).expect(200)).body;
  expect(deliveries.result).toEqual([
    { id: receiver.received[receiver.received.length - 1]!.headers['webhook-id'], event_type: 'sync.succeeded', status: 'delivered', attempts: 1, last_response_code: 200, last_error: null, last_attempt_at: expect.any(String), next_attempt_at: null, created_at: expect.any(String) },
  ]);
  expect(deliveries.next_cursor).toEqual(expect.any(String));
}

/** Two hubs on one database (`env`), messages written through both: each is sent once, in order. */
async function twoHubsSendOnce(fx: Fixture, env: Env): Promise<void> {
  const { hub: a } = await fx.jetbrains({ dataset: 'tiny' }, env);
  const b = await fx.hub(env);
  const receiver = fx.track(await WebhookReceiver.start());
  const { id, secret } = await addWebhook(a, receiver.url);
  const sent: string[] = [];
  for (let i = 0; i < 12; i++) sent.push((await (i % 2 ? a : b).post(`/webhooks/${id}/test`).expect(202)).body.message_id);
  await eventually(async () => expect(receiver.received).toHaveLength(12), 15_000);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  // Each once, and in the order written (one line: messages about no account).
  expect(ids(receiver.received)).toEqual(sent);
  for (const message of receiver.received) verify(secret, message);
}
