import { connectSynced, useFixture } from './support/fixture';
import type { TestHub } from './support/fixture';

const DAY = 86_400_000;

interface User {
  id: string;
  email: string | null;
  status: string;
  account_type: string | null;
  licenses: { id: string; product_code: string; last_active_at: string | null; assigned_at: string | null }[];
}

/**
 * Atlassian seats: one per product access of a person, activity is that product's last active
 * date, no assignment date. The expectation is computed here from the unified users, independently
 * of the hub's seat code.
 */
describe('reclaimable seats (Atlassian)', () => {
  const fx = useFixture();
  let hub: TestHub;
  let id: string;
  let users: User[];

  beforeAll(async () => {
    ({ hub } = await fx.atlassian({ dataset: 'tiny' }));
    ({ id } = await connectSynced(hub, { integration: 'atlassian' }));
    users = (await hub.get(`/unified/user-directory/users?integrated_account_id=${id}&limit=200`).expect(200)).body.result;
  });

  function expected(days: number) {
    const cutoff = new Date(Date.now() - days * DAY).toISOString();
    const seats: { id: string; reason: string; activity: string }[] = [];
    for (const user of users) {
      if (user.account_type === 'app' || user.account_type === 'customer' || user.status === 'deleted') continue;
      for (const license of user.licenses) {
        const reason = license.last_active_at === null ? 'never_used' : license.last_active_at < cutoff ? 'inactive' : null;
        if (reason) seats.push({ id: `${user.id}:${license.id}`, reason, activity: reason === 'never_used' ? '' : license.last_active_at! });
      }
    }
    return seats.sort((a, b) => (a.activity < b.activity ? -1 : a.activity > b.activity ? 1 : a.id < b.id ? -1 : 1));
  }

  it('has bots, portal customers and closed accounts with product access in its data, and gives them no seat', async () => {
    const notPeople = users.filter((u) => (u.account_type === 'app' || u.account_type === 'customer' || u.status === 'deleted') && u.licenses.length > 0);
    expect(notPeople.length).toBeGreaterThan(0);
    const res = await hub.get(`/unified/user-directory/reclaimable-seats?integrated_account_id=${id}&inactive_days=1&limit=200`).expect(200);
    const holders = new Set(res.body.result.map((s: { user_id: string }) => s.user_id));
    for (const user of notPeople) expect(holders.has(user.id)).toBe(false);
  });

  it.each([1, 30, 60, 365])('lists exactly the reclaimable product accesses for %i days, never used first', async (days) => {
    const res = await hub.get(`/unified/user-directory/reclaimable-seats?integrated_account_id=${id}&inactive_days=${days}&limit=200`).expect(200);
    const want = expected(days);
    expect(res.body.result.map((s: { id: string; reason: string }) => [s.id, s.reason])).toEqual(want.map((s) => [s.id, s.reason]));
    expect(res.body.summary).toMatchObject({
      inactive_days: days,
      reclaimable: want.length,
      by_reason: { never_used: want.filter((s) => s.reason === 'never_used').length, inactive: want.filter((s) => s.reason === 'inactive').length },
    });
    for (const seat of res.body.result) {
      expect(seat).toMatchObject({ group: null, assigned_at: null, product_name: expect.any(String) });
      if (seat.reason === 'never_used') expect(seat.days_inactive).toBeNull();
      else expect(seat.days_inactive).toBeGreaterThanOrEqual(days);
    }
    expect(res.body).toMatchObject({ source: 'snapshot', stale: false });
  });

  it('gives plans no purchased-seat figure, and utilization by the same rules', async () => {
    const plans = (await hub.get(`/unified/user-directory/licenses?integrated_account_id=${id}`).expect(200)).body.result;
    expect(plans.length).toBeGreaterThan(0);
    const want = expected(60);
    for (const plan of plans) {
      expect([plan.total, plan.available, plan.unavailable]).toEqual([null, null, null]);
      const mine = want.filter((s) => s.id.endsWith(`:${plan.product_code}`));
      expect(plan.utilization.inactive + plan.utilization.never_used).toBe(mine.length);
    }
  });
});
