import { SIM_ATL_ORG_ID } from '../sandbox/atlassian/dataset';
import { SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { ATLASSIAN_CREDENTIALS, connect, JETBRAINS_CREDENTIALS, TestHub, useFixture } from './support/fixture';

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
