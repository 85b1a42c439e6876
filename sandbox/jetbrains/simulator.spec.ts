import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE, SIM_TEAM_TOKEN, SIM_VIEWER_TOKEN, buildDataset } from './dataset';
import { JetbrainsSimulator, startJetbrainsSimulator } from './server';

/** The simulator must behave like the reference says the real API does (upstream-apis.md §1, §6). */
describe('JetBrains simulator', () => {
  let sim: JetbrainsSimulator;
  beforeEach(async () => {
    sim = await startJetbrainsSimulator({ dataset: 'tiny' });
  });
  afterEach(() => sim.close());

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads of JSON bodies
  const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();
  const call = (path: string, init: RequestInit & { token?: string | null; code?: string | null } = {}) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (init.token !== null) headers['X-Api-Key'] = init.token ?? SIM_ADMIN_TOKEN;
    if (init.code !== null) headers['X-Customer-Code'] = init.code ?? String(SIM_CUSTOMER_CODE);
    return fetch(sim.baseUrl + path, { ...init, headers });
  };

  it('requires both headers with the reference error bodies', async () => {
    let res = await call('/token', { token: null });
    expect([res.status, await json(res)]).toEqual([401, { code: 'MISSING_TOKEN_HEADER', description: 'X-Api-Key header is required' }]);
    res = await call('/token', { token: 'nope' });
    expect([res.status, await json(res)]).toEqual([401, { code: 'INVALID_TOKEN', description: 'The token provided is invalid' }]);
    res = await call('/token', { code: '1' });
    expect(res.status).toBe(401);
    res = await call('/token', { code: null });
    expect(res.status).toBe(401);
  });

  it('describes customer and team tokens', async () => {
    const customer = await json(call('/token'));
    expect(customer).toMatchObject({ type: 'CUSTOMER', code: SIM_CUSTOMER_CODE, name: 'Acme GmbH', role: 'ADMIN' });
    const team = await json(call('/token', { token: SIM_TEAM_TOKEN }));
    expect(team).toMatchObject({ type: 'TEAM', team: { id: 2573297, role: 'ADMIN' }, customer: { code: SIM_CUSTOMER_CODE } });
  });

  it('pages bare arrays with X-Total-Count and RFC 8288 links, [] past the end, 400 outside 1..200', async () => {
    let res = await call('/customer/licenses?page=2&perPage=5');
    expect(res.headers.get('x-total-count')).toBe('17');
    expect(res.headers.get('link')).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/api\/v1\/customer\/licenses\?page=3&perPage=5>; rel="next"/);
    const page = await json(res);
    expect(page.map((l: { licenseId: string }) => l.licenseId)).toEqual(['AAAAAAA006', 'AAAAAAA007', 'AAAAAAA008', 'AAAAAAA009', 'AAAAAAA010']);
    res = await call('/customer/licenses?page=9&perPage=5');
    expect(await json(res)).toEqual([]);
    for (const query of ['perPage=201', 'perPage=0', 'page=0', 'page=x']) {
      expect((await call(`/customer/licenses?${query}`)).status).toBe(400);
    }
    // Default page size 100.
    expect(await json(call('/customer/licenses'))).toHaveLength(17);
  });

  it('filters by assigned, productCode and assigneeEmail; omitted keys stay omitted', async () => {
    const assigned = await json(call('/customer/licenses?assigned=true'));
    const unassigned = await json(call('/customer/licenses?assigned=false'));
    expect(assigned.length + unassigned.length).toBe(17);
    expect(unassigned.every((l: object) => !('assignee' in l))).toBe(true);
    const ii = await json(call('/customer/licenses?productCode=II'));
    expect(ii.every((l: { product: { code: string } }) => l.product.code === 'II')).toBe(true);
    expect(await json(call('/customer/licenses?productCode=ii'))).toEqual([]);
    const ada = await json(call('/customer/licenses?assigneeEmail=ADA@example.com'));
    expect(ada.map((l: { licenseId: string }) => l.licenseId)).toEqual(['AAAAAAA001', 'AAAAAAA002', 'AAAAAAA013']);
    const never = ada.find((l: { licenseId: string }) => l.licenseId === 'AAAAAAA001');
    expect(never.subscription.validUntilDate).toBe('2027-05-20T00:00:00.000+02:00');
    expect('perpetual' in never).toBe(false);
  });

  it('serves team lists with TEAM_MISMATCH and TEAM_NOT_FOUND', async () => {
    expect((await call('/customer/teams/2717496/licenses', { token: SIM_TEAM_TOKEN })).status).toBe(403);
    expect(await json(call('/customer/teams/999/licenses'))).toEqual({ code: 'TEAM_NOT_FOUND', description: '999' });
    const backend = await json(call('/customer/teams/2573297/licenses?perPage=200'));
    expect(backend.every((l: { team: { id: number } }) => l.team.id === 2573297)).toBe(true);
  });

  it('applies the write rules: permissions, ALLOCATED, 30-day revoke, changeLicensesTeam', async () => {
    const contact = { firstName: 'Bo', lastName: 'Ek', email: 'bo@example.com' };
    const assign = (body: object, token?: string) => call('/customer/licenses/assign', { method: 'POST', body: JSON.stringify(body), token });
    expect(await json(assign({ licenseId: 'AAAAAAA007', contact, includeOfflineActivationCode: false, sendEmail: false }, SIM_VIEWER_TOKEN))).toMatchObject({
      code: 'INSUFFICIENT_PERMISSIONS',
    });
    expect(await json(assign({ licenseId: 'AAAAAAA001', contact, includeOfflineActivationCode: false, sendEmail: false }))).toEqual({
      code: 'LICENSE_IS_NOT_AVAILABLE_TO_ASSIGN',
      description: 'ALLOCATED',
    });
    expect(await json(assign({ contact, includeOfflineActivationCode: false, sendEmail: false }))).toEqual({
      code: 'MISSING_FIELD',
      description: 'Either licenseId or license must be provided',
    });
    const ok = await assign({ license: { team: 2573297, productCode: 'II' }, contact, includeOfflineActivationCode: false, sendEmail: false });
    expect(ok.status).toBe(200);
    const none = await assign({ license: { team: 2573297, productCode: 'II' }, contact, includeOfflineActivationCode: false, sendEmail: false });
    expect((await json(none)).code).toBe('NO_AVAILABLE_LICENSE_TO_ASSIGN');

    const revoke = (query: string) => call(`/customer/licenses/revoke?${query}`, { method: 'POST' });
    expect(await json(revoke('email=bo@example.com'))).toMatchObject({ code: 'RECENTLY_ASSIGNED_LICENSE_IS_NOT_AVAILABLE_FOR_REVOKE' });
    expect(await json(revoke('licenseId=AAAAAAA015'))).toEqual({ licenseIds: ['AAAAAAA015'] });

    const move = (body: object, token?: string) => call('/customer/changeLicensesTeam', { method: 'POST', body: JSON.stringify(body), token });
    expect(await json(move({ targetTeamId: 2717496, licenseIds: ['AAAAAAA001', 'AAAAAAA002', 'NOPE'] }))).toEqual({ licenseIds: ['AAAAAAA001'] });
    expect(await json(move({ licenseIds: [] }))).toEqual({ code: 'TEAM_NOT_FOUND', description: '0' });
    expect((await move({ targetTeamId: 2717496 })).status).toBe(400);
    expect((await json(move({ targetTeamId: 2717496, licenseIds: [] }, SIM_TEAM_TOKEN))).code).toBe('TOKEN_TYPE_MISMATCH');
  });

  it('injects faults on command: scripted 429 with Retry-After, 500, malformed, reset', async () => {
    sim.faults.update({ script: ['429-retry-after', '429', '500', 'malformed', 'reset'], retryAfterSeconds: 7 });
    let res = await call('/products');
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '7']);
    res = await call('/products');
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, null]);
    expect((await call('/products')).status).toBe(500);
    await expect(json(call('/products'))).rejects.toThrow();
    await expect(call('/products')).rejects.toThrow();
    expect((await call('/products')).status).toBe(200);
  });

  it('serves generated sets shuffled by default and in the friendly order on request (option and /__sim/dataset)', async () => {
    const control = (body: object) => fetch(`${sim.baseUrl.replace(/\/api\/v1$/, '')}/__sim/dataset`, { method: 'PUT', body: JSON.stringify(body) });
    const firstPageIds = async (): Promise<string[]> => (await json(call('/customer/licenses?perPage=200'))).map((l: { licenseId: string }) => l.licenseId);
    const sorted = (ids: string[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);
    expect((await control({ name: '1k' })).status).toBe(200);
    const realistic = await firstPageIds();
    expect(sorted(realistic)).toBe(false);
    expect(await json(control({ name: '1k', order: 'friendly' }))).toEqual({ licenses: 1_000 });
    const friendly = await firstPageIds();
    expect(sorted(friendly)).toBe(true);
    expect(friendly[0]).toBe('L000000000');
    expect(await json(control({ name: '1k', order: 'sideways' }))).toEqual({ error: 'unknown dataset order "sideways" (friendly or realistic)' });
    expect(await firstPageIds()).toEqual(friendly);

    const other = await startJetbrainsSimulator({ dataset: '1k', datasetOptions: { order: 'friendly' } });
    try {
      expect(other.api.dataset.licenses.map((l) => l.licenseId).slice(0, 200)).toEqual(friendly);
    } finally {
      await other.close();
    }
  });

  it('generates large datasets with the edge cases at realistic rates', () => {
    const data = buildDataset('10k', new Date('2026-11-01T00:00:00Z'));
    expect(data.licenses).toHaveLength(10_000);
    expect(new Set(data.licenses.map((l) => l.licenseId)).size).toBe(10_000);
    const count = (pred: (l: (typeof data.licenses)[number]) => boolean) => data.licenses.filter(pred).length;
    expect(count((l) => !l.assignee)).toBeGreaterThan(300);
    expect(count((l) => l.assignee?.type === 'SERVER')).toBeGreaterThan(30);
    expect(count((l) => l.subscription?.isOutdated === true)).toBeGreaterThan(100);
    expect(count((l) => l.assignee?.type === 'USER' && l.assignee.email !== l.assignee.email.toLowerCase())).toBeGreaterThan(20);
    expect(count((l) => l.assignee?.type === 'USER' && !l.lastSeen?.lastSeenDate)).toBeGreaterThan(100);
    expect(data.licenses.every((l) => /^[A-Z0-9]{10}$/.test(l.licenseId))).toBe(true);
    const people = new Set(data.licenses.flatMap((l) => (l.assignee?.type === 'USER' ? [l.assignee.email.toLowerCase()] : [])));
    // About 2.5 licenses per person, as in the organisations the benchmarks model (100k ~ 40k people).
    expect(people.size).toBeGreaterThan(3_600);
    expect(people.size).toBeLessThan(4_400);
  });
});
