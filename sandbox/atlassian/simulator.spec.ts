import { SIM_ATL_KEY, SIM_ATL_ORG_ID, SIM_ATL_V1_ONLY_KEY } from './dataset';
import { AtlassianSimulator, startAtlassianSimulator } from './server';
import { SIM_ATL_MULTI_ORG_KEY, SIM_ATL_NO_SEARCH_KEY, SIM_ATL_NO_V2_KEY, SIM_ATL_SECOND_ORG_ID } from './dataset';

/** The simulator must behave like the reference says the Admin API does (upstream-apis.md §3, §6). */
describe('Atlassian simulator', () => {
  let sim: AtlassianSimulator;
  beforeEach(async () => {
    sim = await startAtlassianSimulator({ dataset: 'tiny', behaviour: { v1PageSize: 4 } });
  });
  afterEach(() => sim.close());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads of JSON bodies
  const get = async (path: string, key: string | null = SIM_ATL_KEY, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: any }> => {
    const res = await fetch(sim.baseUrl + path, { ...init, headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': 'application/json' } });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  const org = `/admin/v1/orgs/${SIM_ATL_ORG_ID}`;

  it('needs a bearer key and answers errors[] with ADMIN codes', async () => {
    expect((await get('/admin/v1/orgs', null)).body.errors[0]).toMatchObject({ status: '401', code: 'ADMIN-UAM-401-1' });
    expect((await get('/admin/v1/orgs/unknown-org')).body.errors[0]).toMatchObject({ status: '404', code: 'ADMIN-404-2' });
    expect((await get(`/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories`, SIM_ATL_V1_ONLY_KEY)).status).toBe(403);
  });

  it('pages v1 users with links.next as a URL carrying cursor, meta.total, managed accounts only', async () => {
    const managed = sim.api.dataset.users[SIM_ATL_ORG_ID]!.filter((u) => u.claimStatus === 'managed');
    const first = await get(`${org}/users`);
    expect(first.body.meta.total).toBe(managed.length);
    expect(first.body.data).toHaveLength(4);
    expect(first.body.data[0]).toMatchObject({ account_id: '5b10ac8d82e05b22cc7d4ef5', account_status: 'active', access_billable: true });
    const next = new URL(first.body.links.next);
    expect(next.pathname).toBe(`${org}/users`);
    const second = await get(`${org}/users?cursor=${encodeURIComponent(next.searchParams.get('cursor')!)}`);
    expect(second.body.data[0].account_id).toBe(managed[4]!.accountId);
    const hidden = [...first.body.data, ...second.body.data].find((u: { account_id: string }) => u.account_id === '5d77hidden0email00');
    expect('email' in hidden).toBe(false);
    expect((await get(`${org}/users?cursor=garbage`)).body.errors[0]).toMatchObject({ code: 'ADMIN-400-1', title: 'Invalid page cursor' });
  });

  it('pages v2 users with raw cursors, camelCase, unmanaged included, expansions only on request', async () => {
    const search = `/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories/-/users/search`;
    const first = await get(search, SIM_ATL_KEY, { method: 'POST', body: JSON.stringify({ limit: 5, expand: ['productAccess'] }) });
    expect(first.body.data).toHaveLength(5);
    expect(first.body.data[0].productAccess).toBeDefined();
    expect(first.body.data[0].groups).toBeUndefined();
    const rest = await get(search, SIM_ATL_KEY, { method: 'POST', body: JSON.stringify({ cursor: first.body.links.next, limit: 1 }) });
    // The cursor carries the first call's limit of 5: the second call's limit is discarded.
    expect(rest.body.data).toHaveLength(5);
    expect([...first.body.data, ...rest.body.data].some((u: { claimStatus: string }) => u.claimStatus === 'unmanaged')).toBe(true);
    const plain = await get(`/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories/-/users?limit=100`);
    expect(plain.body.data[0].productAccess).toBeUndefined();
    // The GET listing has no expand parameter at all.
    const asked = await get(`/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories/-/users?limit=100&expand=productAccess,groups`);
    expect(asked.body.data.every((u: object) => !('productAccess' in u) && !('groups' in u))).toBe(true);
  });

  it('serves last-active dates per user, empty for never-active users', async () => {
    const ada = await get(`${org}/directory/users/5b10ac8d82e05b22cc7d4ef5/last-active-dates`);
    expect(ada.body.data.product_access.map((p: { key: string }) => p.key)).toEqual(['jira-software', 'confluence']);
    expect(ada.body.data.product_access[0].last_active).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const never = await get(`${org}/directory/users/6033neveractive001/last-active-dates`);
    expect(never.body.data.product_access).toEqual([]);
  });

  it('throttles with ADMIN-429-1 and X-RateLimit-* headers, Retry-After on some', async () => {
    sim.faults.update({ script: ['429-retry-after', '429'], retryAfterSeconds: 3 });
    const limited = await get('/admin/v1/orgs');
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].code).toBe('ADMIN-429-1');
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Date.parse(limited.headers.get('x-ratelimit-reset')!)).toBeGreaterThan(Date.now());
    expect((await get('/admin/v1/orgs')).headers.get('retry-after')).toBeNull();
  });

  describe('cursors', () => {
    const search = `/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories/-/users/search`;
    const post = (body: object) => get(search, SIM_ATL_KEY, { method: 'POST', body: JSON.stringify(body) });
    const v1Cursor = async () => new URL((await get(`${org}/users`)).body.links.next).searchParams.get('cursor')!;

    it('are opaque: base64 of a token, nothing a client could read an offset from', async () => {
      const v1 = await v1Cursor();
      const v2 = (await post({ limit: 2 })).body.links.next as string;
      for (const cursor of [v1, v2]) {
        expect(cursor).toMatch(/^[A-Za-z0-9+/]+=*$/);
        const decoded = Buffer.from(cursor, 'base64').toString('latin1');
        expect(() => JSON.parse(decoded)).toThrow();
        expect(decoded).not.toMatch(/offset|limit|\b4\b/);
      }
      // A new walk gets new tokens for the same position.
      expect(await v1Cursor()).not.toBe(v1);
    });

    it('refuse a forged cursor (an offset encoded the way the old simulator did) with ADMIN-400-1', async () => {
      const forged = Buffer.from(JSON.stringify({ o: 4, g: SIM_ATL_ORG_ID, k: 'v1' })).toString('base64url');
      expect((await get(`${org}/users?cursor=${forged}`)).body.errors[0]).toMatchObject({ status: '400', code: 'ADMIN-400-1', title: 'Invalid page cursor' });
      expect((await post({ cursor: forged })).body.errors[0]).toMatchObject({ code: 'ADMIN-400-1' });
    });

    it('refuse a cursor of another list or organization', async () => {
      const v1 = await v1Cursor();
      expect((await post({ cursor: v1 })).status).toBe(400);
      expect((await get(`/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories/-/groups?cursor=${encodeURIComponent(v1)}`)).body.errors[0].code).toBe('ADMIN-400-1');
      const otherOrg = await get(`/admin/v1/orgs/${SIM_ATL_SECOND_ORG_ID}/users?cursor=${encodeURIComponent(v1)}`, SIM_ATL_MULTI_ORG_KEY);
      expect(otherOrg.body.errors[0]).toMatchObject({ status: '400', code: 'ADMIN-400-1' });
    });

    it('go stale after their TTL, and all at once on expiry or a dataset change', async () => {
      let cursor = await v1Cursor();
      expect((await get(`${org}/users?cursor=${encodeURIComponent(cursor)}`)).status).toBe(200);
      sim.api.expireCursors();
      expect((await get(`${org}/users?cursor=${encodeURIComponent(cursor)}`)).body.errors[0].code).toBe('ADMIN-400-1');
      cursor = await v1Cursor();
      await fetch(`${sim.baseUrl}/__sim/dataset`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'tiny' }) });
      expect((await get(`${org}/users?cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
      sim.api.behaviour.cursorTtlMs = -1;
      cursor = await v1Cursor();
      expect((await get(`${org}/users?cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
    });
  });

  describe('organizations whose API surface lacks part of v2', () => {
    const v2 = `/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories/-`;
    const search = (key: string) => get(`${v2}/users/search`, key, { method: 'POST', body: JSON.stringify({ limit: 5 }) });

    it('answers 404 on the v2 user search only, for a key switched to "no-v2-search"', async () => {
      expect((await search(SIM_ATL_NO_SEARCH_KEY)).body.errors[0]).toMatchObject({ status: '404', code: 'ADMIN-404-1' });
      expect((await get(`${v2}/users?limit=5`, SIM_ATL_NO_SEARCH_KEY)).body.data).toHaveLength(5);
      expect((await get(`${v2}/groups`, SIM_ATL_NO_SEARCH_KEY)).status).toBe(200);
      expect((await search(SIM_ATL_KEY)).status).toBe(200);
    });

    it('answers 404 on all of v2, v1 still served, for a key switched to "no-v2"', async () => {
      expect((await search(SIM_ATL_NO_V2_KEY)).status).toBe(404);
      expect((await get(`${v2}/users`, SIM_ATL_NO_V2_KEY)).status).toBe(404);
      expect((await get(`${v2}/groups`, SIM_ATL_NO_V2_KEY)).status).toBe(404);
      expect((await get(`${org}/users`, SIM_ATL_NO_V2_KEY)).status).toBe(200);
    });

    it('switches per organization, with 405 or 501 as the answer when asked', async () => {
      sim.api.behaviour.orgSurfaces = { [SIM_ATL_ORG_ID]: 'no-v2-search' };
      expect((await search(SIM_ATL_KEY)).status).toBe(404);
      sim.api.behaviour.missingStatus = 405;
      expect((await search(SIM_ATL_KEY)).body.errors[0]).toMatchObject({ status: '405', code: 'ADMIN-405-1' });
      sim.api.behaviour.orgSurfaces = { [SIM_ATL_ORG_ID]: 'no-v2' };
      sim.api.behaviour.missingStatus = 501;
      expect((await get(`${v2}/users`)).status).toBe(501);
    });
  });
});
