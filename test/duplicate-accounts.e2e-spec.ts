import { SIM_ATL_KEY, SIM_ATL_MULTI_ORG_KEY, SIM_ATL_ORG_ID, SIM_ATL_SECOND_ORG_ID } from '../sandbox/atlassian/dataset';
import { SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { ATLASSIAN_CREDENTIALS, connect, connectSynced, hubDatabases, JETBRAINS_CREDENTIALS, TestHub, useFixture } from './support/fixture';
import { UpstreamBarrier } from './support/upstream-barrier';

describe('connecting an organization that is connected already', () => {
  const fx = useFixture();

  const cases: [string, Record<string, string>, string, () => Promise<{ hub: TestHub }>][] = [
    ['jetbrains', JETBRAINS_CREDENTIALS, String(SIM_CUSTOMER_CODE), () => fx.jetbrains({ dataset: 'tiny' })],
    ['atlassian', ATLASSIAN_CREDENTIALS, SIM_ATL_ORG_ID, () => fx.atlassian({ dataset: 'tiny' })],
  ];

  it.each(cases)('%s: 409 naming the existing account, stores nothing; allow_duplicate connects anyway', async (integration, credentials, orgId, start) => {
    const { hub } = await start();
    const first = await connect(hub, { integration, allow_duplicate: false });

    const refused = await hub.post('/integrated-accounts', { integration, credentials }).expect(409);
    expect(refused.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: expect.stringMatching(new RegExp(`connected already as integrated account ${first.id}: PATCH /integrated-accounts/${first.id} .* "allow_duplicate": true`)),
      details: { code: 'ACCOUNT_ALREADY_CONNECTED', existing_account_id: first.id, organization_id: orgId },
    });
    expect((await hub.get('/integrated-accounts').expect(200)).body.result.map((a: { id: string }) => a.id)).toEqual([first.id]);

    const second = await hub.post('/integrated-accounts', { integration, credentials, allow_duplicate: true }).expect(201);
    expect(second.body.id).not.toBe(first.id);
    expect(second.body.access.organization.id).toBe(orgId);

    const bad = await hub.post('/integrated-accounts', { integration, credentials, allow_duplicate: 'yes' }).expect(400);
    expect(bad.body.message).toMatch(/allow_duplicate must be true or false/);
  });
});

describe('new credentials for an account', () => {
  const fx = useFixture();

  it('start a sync with them, and must open the organization the account holds', async () => {
    const { hub } = await fx.atlassian({ dataset: 'tiny' });
    const { id } = await connectSynced(hub, { integration: 'atlassian' });
    const runsBefore = (await hub.get(`/integrated-accounts/${id}/syncs`).expect(200)).body.result.length;
    await hub.patch(`/integrated-accounts/${id}`, { credentials: { api_key: SIM_ATL_KEY } }).expect(200);
    const runs = (await hub.get(`/integrated-accounts/${id}/syncs`).expect(200)).body.result;
    expect(runs).toHaveLength(runsBefore + 1);
    expect(runs[0]).toMatchObject({ trigger: 'manual' });

    const moved = await hub.patch(`/integrated-accounts/${id}`, { credentials: { api_key: SIM_ATL_MULTI_ORG_KEY, org_id: SIM_ATL_SECOND_ORG_ID } }).expect(409);
    expect(moved.body).toMatchObject({
      statusCode: 409,
      details: { code: 'ACCOUNT_ORGANIZATION_MISMATCH', organization_id: SIM_ATL_SECOND_ORG_ID, account_organization_id: SIM_ATL_ORG_ID },
    });
    expect(moved.body.message).toContain('connect the other organization as a new account');
    // Nothing was stored: the account still holds its organization, with the key it had.
    expect((await hub.get(`/integrated-accounts/${id}`).expect(200)).body.access.organization.id).toBe(SIM_ATL_ORG_ID);
  });
});

describe('the same organization connected by several requests at once', () => {
  const fx = useFixture();

  const stores = hubDatabases(fx);

  it.each(stores)('%s: exactly one 201, the others 409 naming it; in another tenant it connects again', async (_store, database) => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    // The five credential tests (GET /token) are answered together, once all five are waiting.
    const barrier = fx.track(await UpstreamBarrier.start(sim.baseUrl, '/token', 5));
    const hub = await fx.hub({ ...(await database()), JETBRAINS_BASE_URL: barrier.baseUrl });
    const keyOf = async (tenant: string) => (await hub.post('/api-keys', { name: tenant, scope: 'admin', tenant_id: tenant }).expect(201)).body.key as string;
    const [acme, globex] = [await keyOf('acme'), await keyOf('globex')];
    const body = { integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS };
    const connectAs = (key: string) => hub.raw().post('/integrated-accounts').set('Authorization', `Bearer ${key}`).send(body);

    const answers = await Promise.all([connectAs(acme), connectAs(acme), connectAs(acme), connectAs(globex), connectAs(globex)]);
    const inAcme = answers.slice(0, 3);
    const created = inAcme.filter((a) => a.status === 201);
    expect(inAcme.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    for (const refused of inAcme.filter((a) => a.status === 409)) {
      expect(refused.body.details).toEqual({ code: 'ACCOUNT_ALREADY_CONNECTED', existing_account_id: created[0]!.body.id, organization_id: String(SIM_CUSTOMER_CODE) });
    }
    // The other tenant raced its own pair: one of them won there, unaffected by acme's.
    expect(answers.slice(3).map((a) => a.status).sort()).toEqual([201, 409]);
    const listed = async (key: string) =>
      (await hub.raw().get('/integrated-accounts').set('Authorization', `Bearer ${key}`).expect(200)).body.result.map((a: { id: string }) => a.id);
    expect(await listed(acme)).toEqual([created[0]!.body.id]);
    expect(await listed(globex)).toHaveLength(1);

    // allow_duplicate still connects a second one at once; deleting the first frees the organization.
    barrier.count = 1;
    const second = await connectAs(acme).send({ ...body, allow_duplicate: true }).expect(201);
    await hub.raw().delete(`/integrated-accounts/${created[0]!.body.id}`).set('Authorization', `Bearer ${acme}`).expect(200);
    // The duplicate is still there and still counts: connecting again names it.
    expect((await connectAs(acme).expect(409)).body.details.existing_account_id).toBe(second.body.id);
    await hub.raw().delete(`/integrated-accounts/${second.body.id}`).set('Authorization', `Bearer ${acme}`).expect(200);
    await connectAs(acme).expect(201);
  }, 60_000);
});
