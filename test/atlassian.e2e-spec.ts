import {
  daysAgo,
  SIM_ATL_KEY,
  SIM_ATL_MULTI_ORG_KEY,
  SIM_ATL_ORG_ID,
  SIM_ATL_SECOND_ORG_ID,
  SIM_ATL_SITE_TOKEN,
  SIM_ATL_V1_ONLY_KEY,
} from '../sandbox/atlassian/dataset';
import type { AtlassianSimulator } from '../sandbox/atlassian/server';
import { ATLASSIAN_CREDENTIALS, capturedLogs, connect, connectSynced, TestHub, TEST_API_KEY, useFixture, waitForLatestRun, walkUserIds } from './support/fixture';

const at815 = (days: number) => `${daysAgo(new Date(), days)}T08:15:00.000Z`;

describe('Atlassian end to end (tiny dataset)', () => {
  const fx = useFixture();
  let sim: AtlassianSimulator;
  let hub: TestHub;
  let accountId: string;

  beforeAll(async () => {
    ({ sim, hub } = await fx.atlassian({ dataset: 'tiny', behaviour: { v1PageSize: 2, v2MaxLimit: 3, v1LinkBase: 'https://elsewhere.example' } }));
    accountId = (await connectSynced(hub, { integration: 'atlassian' })).id;
  });

  afterAll(() => {
    // Runs after the fixture has closed hub and simulator.
    const logs = capturedLogs.join('\n');
    expect(logs).not.toContain(SIM_ATL_KEY);
    expect(logs).not.toContain(SIM_ATL_SITE_TOKEN);
  });

  const list = (resource: string, query = '') => hub.get(`/unified/user-directory/${resource}?integrated_account_id=${accountId}${query}`);

  describe('connecting', () => {
    it('resolves the only organization the key sees and reports what the key can read', async () => {
      const res = await hub.get(`/integrated-accounts/${accountId}`).expect(200);
      expect(res.body).toMatchObject({
        integration: 'atlassian',
        name: 'Atlassian – Acme Cloud',
        status: 'active',
        access: { organization: { id: SIM_ATL_ORG_ID, name: 'Acme Cloud' }, extra: {
          managed_accounts_api: true,
          directory_api: true,
          directory_users_via: 'search',
          apis: { v1_users: 'available', v2_user_search: 'available', v2_user_list: 'unchecked', v2_groups: 'available' },
          site: null,
          guard_enabled: null,
        } },
      });
      expect(JSON.stringify(res.body)).not.toContain(SIM_ATL_KEY);
    });

    it('asks for org_id, listing the organizations, when the key sees more than one', async () => {
      const res = await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: SIM_ATL_MULTI_ORG_KEY } }).expect(400);
      expect(res.body.message).toMatch(/sees 2 organizations; set credentials.org_id to one of: a1b2c3d4-org-acme \(Acme Cloud\), e5f6a7b8-org-beta \(Beta Labs\)/);
      expect(res.body.details.organizations).toHaveLength(2);
      const ok = await connect(hub, { integration: 'atlassian', credentials: { api_key: SIM_ATL_MULTI_ORG_KEY, org_id: SIM_ATL_SECOND_ORG_ID } });
      expect(ok.body.access.organization).toEqual({ id: SIM_ATL_SECOND_ORG_ID, name: 'Beta Labs' });
      await waitForLatestRun(hub, ok.id);
      expect(await walkUserIds(hub, ok.id)).toEqual(['5b10ac8d82e05b22cc7d4ef5']);
      await hub.delete(`/integrated-accounts/${ok.id}`).expect(200);
      const unknown = await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: SIM_ATL_KEY, org_id: 'not-mine' } }).expect(400);
      expect(unknown.body.message).toMatch(/^credentials.org_id is not an organization this API key can see; it sees: /);
    });

    it('says whether a rejected key is a site token or just wrong, storing nothing', async () => {
      const before = (await hub.get('/integrated-accounts').expect(200)).body.result.length;
      const site = await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: SIM_ATL_SITE_TOKEN } }).expect(400);
      expect(site.body.message).toMatch(/Atlassian rejected these credentials: check the Organization API key/);
      expect(site.body.message).toMatch(/looks like a user or site API token/);
      expect(site.body.details).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', upstream_status: 401, upstream_code: 'ADMIN-UAM-401-1' });
      const wrong = await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: 'nope-nope-nope' } }).expect(400);
      expect(wrong.body.message).toMatch(/wrong, expired or revoked/);
      await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: {} }).expect(400);
      expect((await hub.get('/integrated-accounts').expect(200)).body.result.length).toBe(before);
    });
  });

  describe('users', () => {
    it('lists every account once, keyed by account_id, managed and unmanaged, across v1 and v2 pages', async () => {
      const res = await list('users').expect(200);
      expect(res.body.result.map((u: { id: string }) => u.id)).toEqual([
        '3e00empty0name0001',
        '4f00b1e5sean000001',
        '557058:0f3c1b8e-grace',
        '557058:f58131cb-slack',
        '5a00single0name001',
        '5b10ac8d82e05b22cc7d4ef5',
        '5c2a1d33e4b0closed',
        '5d77hidden0email00',
        '6011unmanaged00001',
        '6022suspended00001',
        '6033neveractive001',
        '6044app00000000001',
        '70aa0unmanaged0hid',
        '712020:b4e2d1f0-zoe',
        'qm:6055customer0001',
        'qm:7f1c2b3a-emilie',
      ]);
      const byId = Object.fromEntries(res.body.result.map((u: { id: string }) => [u.id, u]));
      expect(byId['5b10ac8d82e05b22cc7d4ef5']).toEqual({
        id: '5b10ac8d82e05b22cc7d4ef5',
        remote_id: '5b10ac8d82e05b22cc7d4ef5',
        email: 'ada@acme.example',
        emails: [{ email: 'ada@acme.example', type: 'work', is_primary: true }],
        name: 'Ada Lovelace',
        first_name: null,
        last_name: null,
        status: 'active',
        licenses: [
          { id: 'confluence', product_code: 'confluence', product_name: 'Confluence', name: 'Confluence', status: 'active', is_trial: false, team: null, subscription_pack: null, valid_until: null, assigned_at: null, last_active_at: at815(75) },
          { id: 'jira-software', product_code: 'jira-software', product_name: 'Jira', name: 'Jira', status: 'active', is_trial: false, team: null, subscription_pack: null, valid_until: null, assigned_at: null, last_active_at: at815(50) },
        ],
        groups: [
          { id: 'g-admins', name: 'site-admins' },
          { id: 'g-confluence', name: 'confluence-users' },
          { id: 'g-jira', name: 'jira-software-users' },
        ],
        last_active_at: at815(50),
        integration: 'atlassian',
        account_type: 'atlassian',
        is_billable: true,
      });
      const status = (id: string) => byId[id].status;
      expect([status('557058:0f3c1b8e-grace'), status('5c2a1d33e4b0closed'), status('6022suspended00001')]).toEqual(['inactive', 'deleted', 'suspended']);
      expect(byId['5d77hidden0email00']).toMatchObject({ email: null, emails: [], name: 'Hidden Email', status: 'active' });
      expect(byId['6011unmanaged00001']).toMatchObject({ email: 'ext@partner.example', is_billable: null, last_active_at: at815(21) });
      expect(byId['6033neveractive001']).toMatchObject({ last_active_at: null });
      expect(byId['6033neveractive001'].licenses.map((l: { id: string }) => l.id)).toEqual(['bitbucket', 'jira-software']);
      expect(byId['6044app00000000001'].account_type).toBe('app');
      expect(byId['qm:6055customer0001'].account_type).toBe('customer');
      expect(byId['6022suspended00001'].licenses[0].status).toBe('suspended');
    });

    it('keeps names as the directory has them, and bots and customers with their type', async () => {
      const res = await list('users').expect(200);
      const byId = Object.fromEntries(res.body.result.map((u: { id: string }) => [u.id, u]));
      expect(byId['712020:b4e2d1f0-zoe']).toMatchObject({ name: 'Zoë Ångström-Núñez', email: 'zoe.angstrom@acme.example' });
      expect(byId['4f00b1e5sean000001'].name).toBe("Seán O'Brien-D'Arcy");
      expect(byId['5a00single0name001'].name).toBe('Cher');
      expect(byId['3e00empty0name0001']).toMatchObject({ name: null, email: 'nobody@acme.example' });
      expect(byId['557058:f58131cb-slack']).toMatchObject({ account_type: 'app', email: null, emails: [] });
      expect(byId['qm:7f1c2b3a-emilie']).toMatchObject({ account_type: 'customer', name: 'Émilie Dubois' });
      expect(byId['70aa0unmanaged0hid']).toMatchObject({ email: null, is_billable: null, last_active_at: at815(12) });
      // Seven product accesses on two sites: one license per product, Jira with its latest activity of both sites.
      expect(byId['712020:b4e2d1f0-zoe'].licenses.map((l: { id: string; last_active_at: string | null }) => [l.id, l.last_active_at])).toEqual([
        ['bitbucket', null],
        ['confluence', at815(10)],
        ['jira-service-desk', at815(95)],
        ['jira-software', at815(3)],
        ['opsgenie', at815(1)],
        ['trello', at815(200)],
      ]);
    });

    it('followed only the cursor of links.next, never its host', () => {
      const v1Calls = sim.requests.filter((r) => r.url.includes('/admin/v1/orgs/a1b2c3d4-org-acme/users'));
      expect(v1Calls.some((r) => r.url.includes('cursor='))).toBe(true);
    });

    it('gets one user by account_id and adds both raw shapes on request', async () => {
      const res = await hub.get(`/unified/user-directory/users/${encodeURIComponent('557058:0f3c1b8e-grace')}?integrated_account_id=${accountId}&include_remote_data=true`).expect(200);
      expect(res.body.remote_data.v1).toMatchObject({ account_id: '557058:0f3c1b8e-grace', account_status: 'inactive' });
      expect(res.body.remote_data.v2).toMatchObject({ accountId: '557058:0f3c1b8e-grace', status: 'deactivated' });
    });

    it('reads live with the upstream cursor inside the signed hub cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `&source=live&limit=4${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await list('users', query).expect(200);
        seen.push(...res.body.result.map((u: { id: string }) => u.id));
        cursor = res.body.next_cursor as string | null;
        pages += 1;
      } while (cursor);
      expect(pages).toBeGreaterThan(1);
      expect([...seen].sort()).toEqual([...(await walkUserIds(hub, accountId))].sort());
      const first = await list('users', '&source=live&limit=2').expect(200);
      const [body, signature] = first.body.next_cursor.split('.');
      const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), k: 'v2:forged' })).toString('base64url');
      await list('users', `&source=live&next_cursor=${tampered}.${signature}`).expect(400);
    });
  });

  describe('groups and seats', () => {
    it('lists directory groups with member counts', async () => {
      const res = await list('groups').expect(200);
      expect(res.body.result).toEqual([
        { id: 'g-admins', name: 'site-admins', member_count: 1, integration: 'atlassian' },
        { id: 'g-confluence', name: 'confluence-users', member_count: 5, integration: 'atlassian' },
        { id: 'g-empty', name: 'empty-group', member_count: 0, integration: 'atlassian' },
        { id: 'g-jira', name: 'jira-software-users', member_count: 6, integration: 'atlassian' },
      ]);
    });

    it('shows per product who has access and who was active in the last 30 and 90 days', async () => {
      const res = await list('licenses').expect(200);
      const rows = res.body.result.map((p: Record<string, unknown>) => [p.id, p.name, p.assigned, p.suspended, p.active_last_30_days, p.active_last_90_days]);
      // The Admin API has no purchased-seat figure: total and available are unknown, not copies of assigned.
      for (const plan of res.body.result) expect([plan.total, plan.available, plan.unavailable]).toEqual([null, null, null]);
      expect(rows).toEqual([
        ['bitbucket', 'Bitbucket', 2, 0, 0, 0],
        ['confluence', 'Confluence', 6, 0, 5, 6],
        ['jira-service-desk', 'Jira Service Management', 3, 0, 1, 1],
        ['jira-software', 'Jira', 8, 2, 3, 5],
        ['opsgenie', 'Opsgenie', 1, 0, 1, 1],
        ['trello', 'Trello', 1, 0, 0, 0],
      ]);
    });
  });

  describe('proxy', () => {
    it('passes requests to the Admin API with the bearer key injected in place of the hub key', async () => {
      const res = await hub.get(`/proxy/admin/v1/orgs?integrated_account_id=${accountId}`).expect(200);
      expect(res.body.data[0]).toMatchObject({ id: SIM_ATL_ORG_ID });
      const seen = sim.requests[sim.requests.length - 1]!;
      expect(seen.headers['authorization']).toBe(`Bearer ${SIM_ATL_KEY}`);
      expect(JSON.stringify(seen.headers)).not.toContain(TEST_API_KEY);
      const bad = await hub.get(`/proxy/admin/v1/orgs/${SIM_ATL_ORG_ID}/users?cursor=garbage&integrated_account_id=${accountId}`).expect(400);
      expect(bad.body.errors[0]).toMatchObject({ code: 'ADMIN-400-1', title: 'Invalid page cursor' });
      await hub.get(`/proxy/%2F%2Fevil.example/admin?integrated_account_id=${accountId}`).expect(400);
    });
  });
});

describe('Atlassian with a v1-only key, under rate limiting, beside JetBrains', () => {
  const fx = useFixture();

  it('does without the directory API when the key lacks its scope', async () => {
    const { sim, hub } = await fx.atlassian({ dataset: 'tiny' });
    const res = await connect(hub, { integration: 'atlassian', credentials: { api_key: SIM_ATL_V1_ONLY_KEY } });
    expect(res.body.access.extra).toEqual({
      managed_accounts_api: true,
      directory_api: false,
      directory_users_via: null,
      apis: { v1_users: 'available', v2_user_search: 'forbidden', v2_user_list: 'unchecked', v2_groups: 'forbidden' },
      site: null,
      guard_enabled: null,
    });
    await waitForLatestRun(hub, res.id);
    const ids = await walkUserIds(hub, res.id);
    expect(ids).not.toContain('6011unmanaged00001');
    expect(ids).toHaveLength(sim.api.dataset.users[SIM_ATL_ORG_ID]!.filter((u) => u.claimStatus === 'managed').length);
    const groups = await hub.get(`/unified/user-directory/groups?integrated_account_id=${res.id}`).expect(200);
    expect(groups.body.result).toEqual([]);
    const live = await hub.get(`/unified/user-directory/users?integrated_account_id=${res.id}&source=live&limit=50`).expect(200);
    expect(live.body.result_count).toBe(ids.length);
  });

  it('ends with the clean result under 429s with X-RateLimit headers, side by side with JetBrains', async () => {
    const atl = await fx.atlassianSimulator({ dataset: '1k', behaviour: { v1PageSize: 50, v2MaxLimit: 50 } });
    const jb = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const hub = await fx.hub({ ATLASSIAN_BASE_URL: atl.baseUrl, JETBRAINS_BASE_URL: jb.baseUrl });
    const { id: clean } = await connectSynced(hub, { integration: 'atlassian' });
    const expected = await walkUserIds(hub, clean);
    expect(expected).toHaveLength(1000);

    atl.faults.update({ rate429: 0.25, retryAfterShare: 0.5, retryAfterSeconds: 1, rate500: 0.05, seed: 7 });
    const faulty = (await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: ATLASSIAN_CREDENTIALS, allow_duplicate: true })).body.id;
    const run = await waitForLatestRun(hub, faulty);
    expect(run.stats.retry_reasons.UPSTREAM_RATE_LIMITED).toBeGreaterThan(0);
    expect(await walkUserIds(hub, faulty)).toEqual(expected);
    atl.faults.update({ rate429: 0, rate500: 0 });

    const { id: jetbrains } = await connectSynced(hub);
    expect(await walkUserIds(hub, jetbrains)).toContain('ada@example.com');
    const accounts = (await hub.get('/integrated-accounts?limit=10').expect(200)).body.result.map((a: { integration: string }) => a.integration);
    expect(accounts).toEqual(['atlassian', 'atlassian', 'jetbrains']);
    const integrations = (await hub.get('/integrations').expect(200)).body.result.map((i: { id: string }) => i.id);
    expect(integrations).toEqual(['jetbrains', 'atlassian']);
  });
});
