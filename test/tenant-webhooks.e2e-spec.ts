import type request from 'supertest';
import { connectSynced, eventually, hubDatabases, JETBRAINS_CREDENTIALS, TEST_API_KEY, useFixture, waitForLatestRun } from './support/fixture';
import { verify, WebhookReceiver } from './support/webhook-receiver';

/**
 * Webhook endpoints of a tenant receive the events of that tenant's accounts only; endpoints
 * without tenant receive every event. Through HTTP, with real receivers.
 */

const A = 'tenant-a';
const B = 'tenant-b';

function as(test: request.Test, key: string): request.Test {
  return test.set('Authorization', `Bearer ${key}`);
}

/** The integrated_account_id of every account-related message a receiver got. */
function accountsSeen(receiver: WebhookReceiver): Set<string> {
  return new Set(receiver.received.map((r) => r.json?.data?.integrated_account_id).filter((id): id is string => typeof id === 'string'));
}

describe('webhooks per tenant: deliveries', () => {
  const fx = useFixture();

  const stores = hubDatabases(fx);

  it.each(stores)('%s: sends a tenant endpoint only its tenant\'s events, an untenanted endpoint all of them', async (_store, database) => {
    // The receivers listen on 127.0.0.1: private targets allowed to tenant endpoints here.
    const { hub } = await fx.jetbrains({ dataset: 'tiny' }, { ...(await database()), HUB_WEBHOOK_PRIVATE_TARGETS: 'all' });
    const issue = async (tenant: string) => (await hub.post('/api-keys', { name: tenant, scope: 'admin', tenant_id: tenant }).expect(201)).body.key as string;
    const [keyA, keyB] = [await issue(A), await issue(B)];
    const [ra, rb, rAll, rRootForA] = [
      fx.track(await WebhookReceiver.start()),
      fx.track(await WebhookReceiver.start()),
      fx.track(await WebhookReceiver.start()),
      fx.track(await WebhookReceiver.start()),
    ];
    const events = ['integrated_account.created', 'integrated_account.deleted', 'sync.succeeded', 'user.added'];
    const add = async (key: string, receiver: WebhookReceiver, tenant?: string) =>
      (await as(hub.raw().post('/webhooks'), key).send({ url: receiver.url, events, ...(tenant ? { tenant_id: tenant } : {}) }).expect(201)).body;
    const epA = await add(keyA, ra);
    const epB = await add(keyB, rb);
    const epAll = (await hub.post('/webhooks', { url: rAll.url, events }).expect(201)).body;
    // The root key may add an endpoint for a tenant: it then hears that tenant only.
    const epRootA = await add(TEST_API_KEY, rRootForA, A);
    expect([epA.tenant_id, epB.tenant_id, epAll.tenant_id, epRootA.tenant_id]).toEqual([A, B, null, A]);

    const connectAs = async (key: string) => {
      const res = await as(hub.raw().post('/integrated-accounts'), key).send({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS, allow_duplicate: true }).expect(201);
      await waitForLatestRun(hub, res.body.id);
      return res.body.id as string;
    };
    const accountA = await connectAs(keyA);
    const accountB = await connectAs(keyB);
    const untenanted = (await connectSynced(hub)).id;
    await as(hub.raw().delete(`/integrated-accounts/${accountB}`), keyB).expect(200);

    // Every account's created and sync.succeeded reach the untenanted endpoint…
    await eventually(async () => {
      expect(accountsSeen(rAll)).toEqual(new Set([accountA, accountB, untenanted]));
      expect(rAll.ofType('integrated_account.deleted').map((r) => r.json.data.integrated_account_id)).toEqual([accountB]);
      expect(rAll.ofType('sync.succeeded')).toHaveLength(3);
    });
    await eventually(async () => {
      expect(ra.ofType('sync.succeeded')).toHaveLength(1);
      expect(rRootForA.ofType('sync.succeeded')).toHaveLength(1);
      expect(rb.ofType('integrated_account.deleted')).toHaveLength(1);
    });
    // …and a tenant's endpoints get its own accounts' only, the same kinds of messages.
    expect(accountsSeen(ra)).toEqual(new Set([accountA]));
    expect(accountsSeen(rRootForA)).toEqual(new Set([accountA]));
    expect(accountsSeen(rb)).toEqual(new Set([accountB]));
    for (const receiver of [ra, rb]) expect(receiver.ofType('integrated_account.created')).toHaveLength(1);
    // Each message names its account's tenant, so the endpoint hearing every tenant can tell them apart.
    const tenantOf = new Map<string, string | null>([[accountA, A], [accountB, B], [untenanted, null]]);
    for (const message of [...rAll.received, ...ra.received, ...rb.received]) expect(message.json.data.tenant_id).toBe(tenantOf.get(message.json.data.integrated_account_id));
    expect(ra.ofType('integrated_account.deleted')).toHaveLength(0);
    for (const message of ra.received) verify(epA.secret, message);
    for (const message of rb.received) verify(epB.secret, message);

    // Each endpoint's deliveries list its own messages: tenant A's key sees A's, and B's endpoint is 404 for it.
    const deliveries = (await as(hub.raw().get(`/webhooks/${epA.id}/deliveries?limit=200`), keyA).expect(200)).body.result as { id: string }[];
    expect(deliveries.map((d) => d.id).sort()).toEqual(ra.received.map((r) => String(r.headers['webhook-id'])).sort());
    const hidden = await as(hub.raw().get(`/webhooks/${epB.id}/deliveries`), keyA).expect(404);
    expect(hidden.body.details).toEqual({ code: 'WEBHOOK_NOT_FOUND' });

    // A test send reaches that endpoint alone.
    const before = [ra, rb, rAll, rRootForA].map((r) => r.received.length);
    const { message_id } = (await as(hub.raw().post(`/webhooks/${epB.id}/test`), keyB).expect(202)).body;
    await eventually(async () => expect(rb.received.map((r) => r.headers['webhook-id'])).toContain(message_id));
    await new Promise((resolve) => setTimeout(resolve, 700)); // more than the dispatcher's poll: anything else would have gone out
    expect([ra, rAll, rRootForA].map((r) => r.received.length)).toEqual([before[0], before[2], before[3]]);
  }, 60_000);

  it('by default, a tenant\'s endpoint may not target loopback or private addresses, at create and PATCH (delivery: webhook-target.spec); the operator\'s may', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny' });
    const key = (await hub.post('/api-keys', { name: A, scope: 'admin', tenant_id: A }).expect(201)).body.key as string;
    const receiver = fx.track(await WebhookReceiver.start());
    for (const url of [receiver.url, 'http://10.1.2.3/hooks', 'http://[::1]:9/hooks', 'http://localhost:9/hooks']) {
      const refused = await as(hub.raw().post('/webhooks'), key).send({ url, events: ['*'] }).expect(400);
      expect(refused.body.details).toEqual({ code: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url' });
      expect(refused.body.message).toMatch(/loopback and private addresses are webhook targets only for endpoints without a tenant \(HUB_WEBHOOK_PRIVATE_TARGETS/);
    }
    // An endpoint at a public address cannot be moved to a private one.
    const publicOne = (await as(hub.raw().post('/webhooks'), key).send({ url: 'http://93.184.216.34/hooks', events: ['*'] }).expect(201)).body;
    const moved = await as(hub.raw().patch(`/webhooks/${publicOne.id}`), key).send({ url: receiver.url }).expect(400);
    expect(moved.body.details.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
    // The root key for that tenant: a tenant endpoint too, refused alike.
    await hub.post('/webhooks', { url: receiver.url, events: ['*'], tenant_id: A }).expect(400);
    // The operator's own endpoint (no tenant) still may.
    const own = (await hub.post('/webhooks', { url: receiver.url, events: ['*'] }).expect(201)).body;
    await hub.post(`/webhooks/${own.id}/test`).expect(202);
    await eventually(async () => receiver.ofType('webhook.test')[0] ?? Promise.reject(new Error('no delivery yet')), 20_000);
  });

  it('HUB_WEBHOOK_PRIVATE_TARGETS=none refuses them to every endpoint', async () => {
    const { hub } = await fx.jetbrains({ dataset: 'tiny' }, { HUB_WEBHOOK_PRIVATE_TARGETS: 'none' });
    const refused = await hub.post('/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['*'] }).expect(400);
    expect(refused.body.message).toMatch(/loopback and private addresses/);
  });
});
