import type { JbLicense } from '../src/connectors/jetbrains/jetbrains.types';
import { buildDataset, SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../sandbox/jetbrains/dataset';
import { PRODUCTS } from '../sandbox/jetbrains/products';
import { JetbrainsSimulator, startJetbrainsSimulator } from '../sandbox/jetbrains/server';
import { startHub, TestHub, TEST_API_KEY, waitForLatestRun } from './support/hub-harness';

const AUTH = `Bearer ${TEST_API_KEY}`;

const DAY = 86_400_000;
const now = Date.now();
const ago = (days: number) => new Date(now - days * DAY).toISOString();
const backend = { id: 2573297, name: 'Backend' };
const frontend = { id: 2717496, name: 'Frontend' };

/** One license per rule and boundary, dates relative to the test's start. */
function seat(id: string, code: string, email: string | null, dates: { seen?: string; assigned?: string }, extra: Partial<JbLicense> = {}): JbLicense {
  return {
    licenseId: id,
    product: PRODUCTS.find((p) => p.code === code)!,
    team: code === 'WS' ? frontend : backend,
    assignee: email ? { type: 'USER', email, name: `Holder ${id}` } : undefined,
    subscription: { validUntilDate: '2030-01-01T00:00:00.000Z', subscriptionPackRef: 'P/1', isAutomaticallyRenewed: true, isOutdated: false },
    lastSeen: dates.seen || dates.assigned ? { lastSeenDate: dates.seen, lastAssignmentDate: dates.assigned, isOfflineCodeGenerated: false } : undefined,
    isTransferableBetweenTeams: true,
    isTrial: false,
    isSuspended: false,
    isAvailableToAssign: false,
    ...extra,
  };
}

const LICENSES: JbLicense[] = [
  seat('ZK3INACT61', 'II', 'élodie@example.com', { seen: ago(61), assigned: ago(300) }), // inactive, 61 days
  seat('B7ACTIVE59', 'II', 'bob@example.com', { seen: ago(59), assigned: ago(300) }), // active within 60 days
  seat('M2NEVER100', 'WS', 'mia@example.com', { assigned: ago(100) }), // never used, assigned 100 days ago
  seat('A9NEWSEAT3', 'WS', 'new@example.com', { assigned: ago(3) }), // assigned within the window: not reclaimable
  seat('Q4PREVHOLD', 'II', "o'brien@example.com", { seen: ago(200), assigned: ago(90) }), // activity of a previous holder: never used
  seat('C1UNKNOWN0', 'GO', 'nodates@example.com', {}), // no dates at all: never used, days unknown
  seat('D5OUTDATED', 'II', 'old@example.com', { seen: ago(400), assigned: ago(800) }, {
    subscription: { validUntilDate: '2024-01-01T00:00:00.000Z', subscriptionPackRef: 'OLD', isAutomaticallyRenewed: false, isOutdated: true },
  }),
  seat('E8SERVER00', 'II', null, { assigned: ago(500) }, { assignee: { type: 'SERVER', uid: 'srv-1', serverType: 'LICENSE_VAULT' } as never }),
  seat('F6AVAIL000', 'II', null, {}, { isAvailableToAssign: true }),
];

describe('reclaimable seats (JetBrains)', () => {
  let sim: JetbrainsSimulator;
  let hub: TestHub;
  let id: string;
  const seats = (query = '') => hub.get(`/unified/user-directory/reclaimable-seats?integrated_account_id=${id}${query}`);

  beforeAll(async () => {
    const dataset = buildDataset('tiny');
    dataset.licenses = LICENSES;
    sim = await startJetbrainsSimulator({ dataset });
    hub = await startHub({ JETBRAINS_BASE_URL: sim.baseUrl });
    const created = await hub
      .post('/integrated-accounts', { integration: 'jetbrains', credentials: { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN } })
      .expect(201);
    id = created.body.id;
    await waitForLatestRun(hub, id);
  });

  afterAll(async () => {
    await hub.close();
    await sim.close();
  });

  it('lists never-used seats first, then by last activity, with reasons and days', async () => {
    const res = await seats().expect(200);
    expect(res.body.result.map((s: { id: string }) => s.id)).toEqual(['C1UNKNOWN0', 'M2NEVER100', 'Q4PREVHOLD', 'ZK3INACT61']);
    const byId = Object.fromEntries(res.body.result.map((s: { id: string }) => [s.id, s]));
    expect(byId.ZK3INACT61).toEqual({
      id: 'ZK3INACT61',
      user_id: 'élodie@example.com',
      email: 'élodie@example.com',
      name: 'Holder ZK3INACT61',
      product_code: 'II',
      product_name: 'IntelliJ IDEA Ultimate',
      group: { id: String(backend.id), name: 'Backend' },
      subscription_pack: 'P/1',
      assigned_at: expect.any(String),
      last_active_at: expect.any(String),
      license_status: 'active',
      reason: 'inactive',
      days_inactive: 61,
      monthly_cost: null,
    });
    expect(byId.M2NEVER100).toMatchObject({ reason: 'never_used', days_inactive: 100, last_active_at: null });
    expect(byId.Q4PREVHOLD).toMatchObject({ reason: 'never_used', days_inactive: 90 });
    expect(byId.C1UNKNOWN0).toMatchObject({ reason: 'never_used', days_inactive: null, assigned_at: null });
    expect(res.body.summary).toEqual({
      inactive_days: 60,
      reclaimable: 4,
      by_reason: { never_used: 3, inactive: 1 },
      by_product: [
        { product_code: 'GO', product_name: 'GoLand', reclaimable: 1, assigned: 1 },
        { product_code: 'II', product_name: 'IntelliJ IDEA Ultimate', reclaimable: 2, assigned: 3 },
        { product_code: 'WS', product_name: 'WebStorm', reclaimable: 1, assigned: 2 },
      ],
      monthly_cost: null,
      currency: null,
    });
  });

  it('moves with the inactivity window', async () => {
    const wide = await seats('&inactive_days=365').expect(200);
    expect(wide.body.result.map((s: { id: string }) => s.id)).toEqual(['C1UNKNOWN0']);
    const narrow = await seats('&inactive_days=2').expect(200);
    expect(narrow.body.summary.by_reason).toEqual({ never_used: 4, inactive: 2 });
    expect(narrow.body.result.map((s: { id: string }) => s.id)).toContain('A9NEWSEAT3');
  });

  it('keeps outdated seats only when asked, and filters by product and group', async () => {
    const withOutdated = await seats('&include_outdated=true').expect(200);
    expect(withOutdated.body.result.map((s: { id: string }) => s.id)).toContain('D5OUTDATED');
    expect(withOutdated.body.result.find((s: { id: string }) => s.id === 'D5OUTDATED')).toMatchObject({ license_status: 'outdated', reason: 'inactive' });
    const ws = await seats('&product_code=WS').expect(200);
    expect(ws.body.result.map((s: { id: string }) => s.id)).toEqual(['M2NEVER100']);
    expect(ws.body.summary.by_product).toEqual([{ product_code: 'WS', product_name: 'WebStorm', reclaimable: 1, assigned: 2 }]);
    const frontendOnly = await seats(`&group_id=${frontend.id}`).expect(200);
    expect(frontendOnly.body.summary.reclaimable).toBe(1);
  });

  it('pages with keyset cursors bound to the filters', async () => {
    const first = await seats('&limit=3').expect(200);
    expect(first.body.result_count).toBe(3);
    const second = await seats(`&limit=3&next_cursor=${encodeURIComponent(first.body.next_cursor)}`).expect(200);
    expect([...first.body.result, ...second.body.result].map((s: { id: string }) => s.id)).toEqual(['C1UNKNOWN0', 'M2NEVER100', 'Q4PREVHOLD', 'ZK3INACT61']);
    expect(second.body.next_cursor).toBeNull();
    const other = await seats(`&limit=3&inactive_days=30&next_cursor=${encodeURIComponent(first.body.next_cursor)}`).expect(400);
    expect(other.body.details.code).toBe('INVALID_CURSOR');
  });

  it('prices seats when seat prices are set', async () => {
    await hub.get(`/integrated-accounts/${id}/seat-prices`).expect(200, { currency: null, prices: {}, unknown_product_codes: [] });
    const prices = { currency: 'eur', prices: { II: { amount: 60, per: 'month' }, WS: { amount: 120, per: 'year' } } };
    const put = await hub.raw().put(`/integrated-accounts/${id}/seat-prices`).set('Authorization', AUTH).send(prices).expect(200);
    expect(put.body.currency).toBe('EUR');
    expect(put.body.unknown_product_codes).toEqual([]);
    const res = await seats().expect(200);
    const cost = Object.fromEntries(res.body.result.map((s: { id: string; monthly_cost: number | null }) => [s.id, s.monthly_cost]));
    expect(cost).toEqual({ C1UNKNOWN0: null, M2NEVER100: 10, Q4PREVHOLD: 60, ZK3INACT61: 60 });
    expect(res.body.summary).toMatchObject({ monthly_cost: 130, currency: 'EUR' });
  });

  it('says which priced product codes no plan of the account has (a typo), storing the prices anyway', async () => {
    const prices = { currency: 'EUR', prices: { II: { amount: 60, per: 'month' }, IIU: { amount: 1, per: 'month' }, WS: { amount: 120, per: 'year' }, AA: { amount: 2, per: 'year' } } };
    const put = await hub.raw().put(`/integrated-accounts/${id}/seat-prices`).set('Authorization', AUTH).send(prices).expect(200);
    expect(put.body.unknown_product_codes).toEqual(['AA', 'IIU']);
    const stored = await hub.get(`/integrated-accounts/${id}/seat-prices`).expect(200);
    expect(Object.keys(stored.body.prices).sort()).toEqual(['AA', 'II', 'IIU', 'WS']);
    expect(stored.body.unknown_product_codes).toEqual(['AA', 'IIU']);
    // Back to the prices the other specs expect.
    await hub.raw().put(`/integrated-accounts/${id}/seat-prices`).set('Authorization', AUTH).send({ currency: 'EUR', prices: { II: { amount: 60, per: 'month' }, WS: { amount: 120, per: 'year' } } }).expect(200);
  });

  it('gives each plan its utilization by the same rules, and seats that add up', async () => {
    const res = await hub.get(`/unified/user-directory/licenses?integrated_account_id=${id}&limit=200`).expect(200);
    const plans = Object.fromEntries(res.body.result.map((p: { id: string }) => [p.id, p]));
    // II of Backend: ZK3 inactive, Q4 never used (a previous holder's activity), B7 active; the server's
    // license is assigned but no person's seat; F6 is available.
    expect(plans['II:2573297:P/1']).toMatchObject({
      total: 5,
      assigned: 4,
      available: 1,
      unavailable: 0,
      utilization: { inactive_days: 60, active: 1, inactive: 1, never_used: 1 },
    });
    expect(plans['WS:2717496:P/1'].utilization).toEqual({ inactive_days: 60, active: 1, inactive: 0, never_used: 1 });
    const narrow = await hub.get(`/unified/user-directory/licenses?integrated_account_id=${id}&inactive_days=2`).expect(200);
    const ws = narrow.body.result.find((p: { id: string }) => p.id === 'WS:2717496:P/1');
    expect(ws.utilization).toEqual({ inactive_days: 2, active: 0, inactive: 0, never_used: 2 });
    for (const plan of res.body.result) expect(plan.assigned + plan.available + plan.unavailable).toBe(plan.total);
    const total = res.body.result.reduce((n: number, p: { utilization: { inactive: number; never_used: number } }) => n + p.utilization.inactive + p.utilization.never_used, 0);
    expect(total).toBe((await seats()).body.summary.reclaimable);
    await hub.get(`/unified/user-directory/licenses?integrated_account_id=${id}&inactive_days=0`).expect(400);
  });

  it('refuses wrong parameters and prices with a message naming them', async () => {
    for (const bad of ['0', '3651', '1.5', 'abc']) {
      const res = await seats(`&inactive_days=${bad}`).expect(400);
      expect(res.body.message).toContain('inactive_days must be a whole number of days between 1 and 3650');
    }
    await hub.get('/unified/user-directory/reclaimable-seats').expect(400);
    await hub.get('/unified/user-directory/reclaimable-seats?integrated_account_id=nope').expect(404);
    const put = (body: unknown) => hub.raw().put(`/integrated-accounts/${id}/seat-prices`).set('Authorization', AUTH).send(body as object);
    const bad = await put({ currency: 'EURO', prices: { II: { amount: -1, per: 'week' } } }).expect(400);
    expect(bad.body.details.errors).toEqual([
      'currency must be an ISO 4217 code such as EUR or USD',
      'prices.II.amount must be a number from 0 to 1000000',
      'prices.II.per must be "month" or "year"',
    ]);
    await put({ currency: 'USD', prices: [] }).expect(400);
    await put({ currency: 'USD', prices: {}, extra: 1 }).expect(400);
    await hub.raw().put('/integrated-accounts/nope/seat-prices').set('Authorization', AUTH).send({ currency: 'USD', prices: {} }).expect(404);
  });
});
