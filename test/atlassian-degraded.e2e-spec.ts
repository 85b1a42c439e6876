import { SIM_ATL_KEY, SIM_ATL_NO_SEARCH_KEY, SIM_ATL_NO_V2_KEY, SIM_ATL_ORG_ID, SIM_ATL_V1_ONLY_KEY } from '../sandbox/atlassian/dataset';
import { AtlassianSimulator, startAtlassianSimulator } from '../sandbox/atlassian/server';
import { startHub, TestHub, waitForLatestRun } from './support/hub-harness';

interface User {
  id: string;
  status: string;
  licenses: { id: string }[];
}

/**
 * Organizations whose Admin API surface lacks the v2 user search, or v2 altogether, answer 404
 * (or 405/501) there. Connect and sync must still work, through the v2 listing or v1 alone, and
 * give the same people as the paths that work.
 */
describe('Atlassian organizations without the v2 user search or without v2', () => {
  let sim: AtlassianSimulator;
  let hub: TestHub;

  beforeAll(async () => {
    sim = await startAtlassianSimulator({ dataset: 'tiny', behaviour: { v1PageSize: 3, v2MaxLimit: 4 } });
    hub = await startHub({ ATLASSIAN_BASE_URL: sim.baseUrl });
  });
  afterAll(async () => {
    await hub.close();
    await sim.close();
  });
  afterEach(() => {
    sim.api.behaviour.orgSurfaces = {};
    sim.api.behaviour.missingStatus = 404;
  });

  const connect = async (apiKey: string) => {
    const res = await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: apiKey }, allow_duplicate: true }).expect(201);
    await waitForLatestRun(hub, res.body.id);
    return res.body as { id: string; access: { extra: Record<string, unknown> } };
  };
  const users = async (id: string): Promise<User[]> => (await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&limit=200`).expect(200)).body.result;
  const groups = async (id: string) => (await hub.get(`/unified/user-directory/groups?integrated_account_id=${id}`).expect(200)).body.result;
  const byId = (list: User[]) => new Map(list.map((u) => [u.id, u]));
  const licenseIds = (u: User | undefined) => (u?.licenses ?? []).map((l) => l.id);
  const unmanaged = () => new Set(sim.api.dataset.users[SIM_ATL_ORG_ID]!.filter((u) => u.claimStatus === 'unmanaged').map((u) => u.accountId));

  it('connects an org without the v2 search through the v2 listing: same people and statuses as the full path, v1 products', async () => {
    const degraded = await connect(SIM_ATL_NO_SEARCH_KEY);
    expect(degraded.access.extra).toEqual({
      managed_accounts_api: true,
      directory_api: true,
      directory_users_via: 'list',
      apis: { v1_users: 'available', v2_user_search: 'missing', v2_user_list: 'available', v2_groups: 'available' },
      site: null,
      guard_enabled: null,
    });
    const fullAccount = await connect(SIM_ATL_KEY);
    const full = byId(await users(fullAccount.id));
    const v1Path = byId(await users((await connect(SIM_ATL_V1_ONLY_KEY)).id));
    const got = await users(degraded.id);
    expect(got.map((u) => u.id)).toEqual([...full.keys()]);
    expect(got.map((u) => [u.id, u.status])).toEqual([...full.values()].map((u) => [u.id, u.status]));
    for (const user of got) {
      // Products as far as v1 carries them: managed accounts as on the v1 path; the listing has none for the others.
      expect([user.id, licenseIds(user)]).toEqual([user.id, unmanaged().has(user.id) ? [] : licenseIds(v1Path.get(user.id))]);
    }
    // The groups list itself (with member counts) does not depend on the search.
    expect(await groups(degraded.id)).toEqual(await groups(fullAccount.id));
  });

  it('connects an org without v2 on v1 alone: exactly what the v1 path gives', async () => {
    const degraded = await connect(SIM_ATL_NO_V2_KEY);
    expect(degraded.access.extra).toMatchObject({
      managed_accounts_api: true,
      directory_api: false,
      directory_users_via: null,
      apis: { v1_users: 'available', v2_user_search: 'missing', v2_user_list: 'missing', v2_groups: 'missing' },
    });
    const v1Path = await users((await connect(SIM_ATL_V1_ONLY_KEY)).id);
    const got = await users(degraded.id);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(v1Path);
    expect(got.map((u) => u.id).filter((id) => unmanaged().has(id))).toEqual([]);
    expect(await groups(degraded.id)).toEqual([]);
  });

  it('falls back per organization on 501 without retrying it, and on 405', async () => {
    const full = await users((await connect(SIM_ATL_KEY)).id);
    sim.api.behaviour.orgSurfaces = { [SIM_ATL_ORG_ID]: 'no-v2-search' };
    sim.api.behaviour.missingStatus = 501;
    const searchesBefore = sim.requests.filter((r) => r.method === 'POST').length;
    const noSearch = await connect(SIM_ATL_KEY);
    expect(noSearch.access.extra.directory_users_via).toBe('list');
    // One search at connect and one in the first sync: a 501 is not retried.
    expect(sim.requests.filter((r) => r.method === 'POST').length - searchesBefore).toBe(2);
    expect((await users(noSearch.id)).map((u) => [u.id, u.status])).toEqual(full.map((u) => [u.id, u.status]));

    sim.api.behaviour.orgSurfaces = { [SIM_ATL_ORG_ID]: 'no-v2' };
    sim.api.behaviour.missingStatus = 405;
    const noV2 = await connect(SIM_ATL_KEY);
    expect(noV2.access.extra.directory_users_via).toBeNull();
    expect(await users(noV2.id)).toEqual(await users((await connect(SIM_ATL_V1_ONLY_KEY)).id));
  });

  it('refuses, naming the scope and what the org lacks, a directory-only key where the org has no v2', async () => {
    sim.api.dataset.keys.push({ key: 'sim-atl-directory-only-no-v2-0123456789', orgs: [SIM_ATL_ORG_ID], scopes: ['read:orgs:admin', 'read:directories:admin'], surface: 'no-v2' });
    const res = await hub.post('/integrated-accounts', { integration: 'atlassian', credentials: { api_key: 'sim-atl-directory-only-no-v2-0123456789' } }).expect(400);
    expect(res.body.message).toMatch(
      /The key can read no user list \(v1 users forbidden, v2 user search missing, v2 user listing missing\): this organization has no v2 user list, so give the key the read:accounts:admin scope\./,
    );
    expect(res.body.details).toMatchObject({ code: 'UPSTREAM_AUTH_FAILED', apis: { v1_users: 'forbidden', v2_user_search: 'missing', v2_user_list: 'missing' } });
    expect(JSON.stringify(res.body)).not.toContain('sim-atl-directory-only');
  });

  it('reads live through the listing where the search is missing, and through v1 without v2', async () => {
    const walkLive = async (id: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `&source=live&limit=4${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${id}${query}`).expect(200);
        seen.push(...res.body.result.map((u: User) => u.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      return seen.sort();
    };
    const noSearch = await connect(SIM_ATL_NO_SEARCH_KEY);
    expect(await walkLive(noSearch.id)).toEqual((await users(noSearch.id)).map((u) => u.id).sort());
    const noV2 = await connect(SIM_ATL_NO_V2_KEY);
    expect(await walkLive(noV2.id)).toEqual((await users(noV2.id)).map((u) => u.id).sort());
  });

  it('answers 400 INVALID_CURSOR, not 502, when Atlassian has let a live cursor expire', async () => {
    const account = await connect(SIM_ATL_NO_SEARCH_KEY);
    const first = await hub.get(`/unified/user-directory/users?integrated_account_id=${account.id}&source=live&limit=2`).expect(200);
    sim.api.expireCursors();
    const res = await hub.get(`/unified/user-directory/users?integrated_account_id=${account.id}&source=live&next_cursor=${encodeURIComponent(first.body.next_cursor)}`).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, details: { code: 'INVALID_CURSOR', upstream_code: 'ADMIN-400-1' } });
    expect(res.body.message).toMatch(/start the live read again without next_cursor/);
  });
});
