import { SIM_ATL_KEY, SIM_ATL_ORG_ID, SIM_ATL_V1_ONLY_KEY } from './dataset';
import { AtlassianSimulator, startAtlassianSimulator } from './server';

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
    const first = await get(`${org}/users`);
    expect(first.body.meta.total).toBe(8);
    expect(first.body.data).toHaveLength(4);
    expect(first.body.data[0]).toMatchObject({ account_id: '5b10ac8d82e05b22cc7d4ef5', account_status: 'active', access_billable: true });
    const next = new URL(first.body.links.next);
    expect(next.pathname).toBe(`${org}/users`);
    const second = await get(`${org}/users?cursor=${next.searchParams.get('cursor')}`);
    expect(second.body.data[0].account_id).toBe('6022suspended00001');
    expect(first.body.data[3].account_id).toBe('5d77hidden0email00');
    expect('email' in first.body.data[3]).toBe(false);
    expect((await get(`${org}/users?cursor=garbage`)).body.errors[0]).toMatchObject({ code: 'ADMIN-400-1', title: 'Invalid page cursor' });
  });

  it('pages v2 users with raw cursors, camelCase, unmanaged included, expansions only on request', async () => {
    const search = `/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories/-/users/search`;
    const first = await get(search, SIM_ATL_KEY, { method: 'POST', body: JSON.stringify({ limit: 5, expand: ['productAccess'] }) });
    expect(first.body.data).toHaveLength(5);
    expect(first.body.data[0].productAccess).toBeDefined();
    expect(first.body.data[0].groups).toBeUndefined();
    const rest = await get(search, SIM_ATL_KEY, { method: 'POST', body: JSON.stringify({ cursor: first.body.links.next, limit: 1 }) });
    expect(rest.body.data).toHaveLength(4);
    expect(first.body.data.some((u: { claimStatus: string }) => u.claimStatus === 'unmanaged')).toBe(true);
    const plain = await get(`/admin/v2/orgs/${SIM_ATL_ORG_ID}/directories/-/users?limit=100`);
    expect(plain.body.data[0].productAccess).toBeUndefined();
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
});
