import { daysAgo, SIM_ATL_KEY, SIM_ATL_ORG_ID } from '../sandbox/atlassian/dataset';
import { AtlassianSimulator, startAtlassianSimulator } from '../sandbox/atlassian/server';
import { capturedLogs, startHub, TestHub, waitForLatestRun } from './support/hub-harness';

interface User {
  id: string;
  is_billable: boolean | null;
  licenses: { id: string; last_active_at: string | null }[];
}

const at815 = (days: number) => `${daysAgo(new Date(), days)}T08:15:00.000Z`;
const atMidnight = (days: number) => `${daysAgo(new Date(), days)}T00:00:00.000Z`;

/** Viio's set-up fields: the Atlassian site, and whether Atlassian Guard is enabled. */
describe('Atlassian site and Guard set-up fields', () => {
  let sim: AtlassianSimulator;
  let hub: TestHub;

  beforeAll(async () => {
    sim = await startAtlassianSimulator({ dataset: 'tiny', behaviour: { v1PageSize: 3, v2MaxLimit: 4 } });
    hub = await startHub({ ATLASSIAN_BASE_URL: sim.baseUrl });
  });
  afterAll(async () => {
    await hub.close();
    await sim.close();
    expect(capturedLogs.join('\n')).not.toContain(SIM_ATL_KEY);
  });

  const connect = (credentials: Record<string, unknown>) => hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: SIM_ATL_KEY, ...credentials }, allow_duplicate: true });
  const connected = async (credentials: Record<string, unknown>) => {
    const res = await connect(credentials).expect(201);
    await waitForLatestRun(hub, res.body.id);
    return res.body as { id: string; access: { extra: Record<string, unknown> } };
  };
  const users = async (id: string) => new Map<string, User>((await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&limit=200`).expect(200)).body.result.map((u: User) => [u.id, u]));
  const products = (u: User | undefined) => (u?.licenses ?? []).map((l) => [l.id, l.last_active_at]);

  it('describes both fields in GET /integrations', async () => {
    const atl = (await hub.get('/integrations').expect(200)).body.result.find((i: { id: string }) => i.id === 'atlassian');
    const fields = Object.fromEntries(atl.credentials.map((f: { name: string }) => [f.name, f]));
    expect(fields.site).toMatchObject({ label: 'Atlassian site', required: false, secret: false, type: 'string' });
    expect(fields.site.description).toMatch(/https:\/\/your-domain\.atlassian\.net/);
    expect(fields.guard_enabled).toMatchObject({ label: 'Atlassian Guard enabled', required: false, type: 'boolean' });
  });

  describe('site', () => {
    it.each([
      ['ACME-LABS.atlassian.net/', 'https://acme-labs.atlassian.net'],
      ['https://acme-labs.atlassian.net', 'https://acme-labs.atlassian.net'],
    ])('normalises %j to %s and limits products, plans and seats to that site', async (given, stored) => {
      const account = await connected({ site: given });
      expect(account.access.extra.site).toBe(stored);
      const byId = await users(account.id);
      expect(byId.size).toBe(16);
      // Zoë has Jira on both sites: only the labs one (40 days, from v1) counts here.
      expect(products(byId.get('712020:b4e2d1f0-zoe'))).toEqual([
        ['jira-service-desk', at815(95)],
        ['jira-software', atMidnight(40)],
        ['opsgenie', at815(1)],
      ]);
      expect(products(byId.get('5b10ac8d82e05b22cc7d4ef5'))).toEqual([]);
      // An unmanaged account (v2 only): its Confluence instance is placed on labs through people in both lists.
      expect(products(byId.get('70aa0unmanaged0hid'))).toEqual([['confluence', at815(12)]]);
      const plans = (await hub.get(`/unified/user-directory/licenses?integrated_account_id=${account.id}`).expect(200)).body.result;
      expect(plans.map((p: { id: string; assigned: number; active_last_30_days: number }) => [p.id, p.assigned, p.active_last_30_days])).toEqual([
        ['confluence', 3, 3],
        ['jira-service-desk', 2, 1],
        ['jira-software', 1, 0],
        ['opsgenie', 1, 1],
      ]);
    });

    it('compares with the bare host the API writes for the other site, scheme and case aside', async () => {
      const account = await connected({ site: 'HTTPS://Acme.Atlassian.NET/' });
      expect(account.access.extra.site).toBe('https://acme.atlassian.net');
      const byId = await users(account.id);
      expect(products(byId.get('5b10ac8d82e05b22cc7d4ef5'))).toEqual([
        ['confluence', at815(75)],
        ['jira-software', at815(50)],
      ]);
      expect(products(byId.get('4f00b1e5sean000001'))).toEqual([]);
      // Live reads with a site go through v1, which says where each product is.
      const live: User[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `&source=live&limit=50${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${account.id}${query}`).expect(200);
        live.push(...res.body.result);
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(live.find((u) => u.id === '4f00b1e5sean000001')!.licenses).toEqual([]);
      expect(products(live.find((u) => u.id === '712020:b4e2d1f0-zoe')).map(([id]) => id)).toEqual(['bitbucket', 'confluence', 'jira-software', 'trello']);
    });

    it('refuses a site the organization does not have with 400, listing its sites, storing nothing', async () => {
      const before = (await hub.get('/integrated-accounts?limit=100').expect(200)).body.result.length;
      const res = await connect({ site: 'https://acme-test.atlassian.net' }).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: 'credentials.site is not a site of the organization Acme Cloud (a1b2c3d4-org-acme); its sites are: https://acme-labs.atlassian.net, https://acme.atlassian.net',
        details: { code: 'VALIDATION_FAILED', field: 'credentials.site', sites: ['https://acme-labs.atlassian.net', 'https://acme.atlassian.net'] },
      });
      expect(JSON.stringify(res.body)).not.toContain(SIM_ATL_KEY);
      expect((await hub.get('/integrated-accounts?limit=100').expect(200)).body.result.length).toBe(before);
    });

    it('refuses a site with a key that cannot read v1, the only list that says where a product is', async () => {
      sim.api.dataset.keys.push({ key: 'sim-atl-directory-only-0123456789', orgs: [SIM_ATL_ORG_ID], scopes: ['read:orgs:admin', 'read:directories:admin'] });
      const res = await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: 'sim-atl-directory-only-0123456789', site: 'acme.atlassian.net' } }).expect(400);
      expect(res.body.message).toMatch(/credentials.site needs an API key with the read:accounts:admin scope/);
      expect(res.body.details).toMatchObject({ code: 'VALIDATION_FAILED', field: 'credentials.site' });
      // Without the site the same key connects, on v2 alone.
      await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: 'sim-atl-directory-only-0123456789' }, allow_duplicate: true }).expect(201);
    });

    it('refuses what is not a site address, saying what it should look like', async () => {
      const res = await connect({ site: 'https://acme.atlassian.net/wiki/spaces' }).expect(400);
      expect(res.body.message).toMatch(/credentials.site \(Atlassian site\) has the wrong format: Your Atlassian domain, https:\/\/your-domain.atlassian.net/);
      expect(res.body.details.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('Guard', () => {
    it.each([
      ['no', false],
      [false, false],
    ])('off (%j) makes is_billable unknown for everyone', async (given, stored) => {
      const account = await connected({ guard_enabled: given });
      expect(account.access.extra.guard_enabled).toBe(stored);
      expect(new Set([...(await users(account.id)).values()].map((u) => u.is_billable))).toEqual(new Set([null]));
    });

    it.each([
      ['yes', true],
      [true, true],
    ])('on (%j) keeps the billable flag as Atlassian sends it', async (given, stored) => {
      const account = await connected({ guard_enabled: given });
      expect(account.access.extra.guard_enabled).toBe(stored);
      const byId = await users(account.id);
      expect([byId.get('5b10ac8d82e05b22cc7d4ef5')!.is_billable, byId.get('557058:0f3c1b8e-grace')!.is_billable, byId.get('6011unmanaged00001')!.is_billable]).toEqual([true, false, null]);
    });

    it('unknown (absent) keeps the flag as today, and a value that is no yes/no is refused', async () => {
      const account = await connected({});
      expect(account.access.extra.guard_enabled).toBeNull();
      expect((await users(account.id)).get('557058:0f3c1b8e-grace')!.is_billable).toBe(false);
      const res = await connect({ guard_enabled: 'maybe' }).expect(400);
      expect(res.body.message).toBe('credentials.guard_enabled (Atlassian Guard enabled) must be true or false (or "yes" / "no")');
    });
  });
});
