import type { LicensePlan, ReclaimableSeat } from '../../web/src/api/types';
import { csvRow, CSV_HEADER, seatBars } from '../../web/src/logic/seat-figures';
import { accessRows } from '../../web/src/logic/access-rows';

const plan = (code: string, team: string | null, u: [number, number, number], available: number | null) =>
  ({ product_code: code, product_name: code === 'II' ? 'IntelliJ IDEA Ultimate' : null, team: team ? { id: team, name: team } : null, utilization: { inactive_days: 60, active: u[0], inactive: u[1], never_used: u[2] }, available }) as unknown as LicensePlan;

describe('seatBars (the Seats chart)', () => {
  const plans = [plan('II', 'Backend', [1, 2, 3], 4), plan('II', 'Frontend', [10, 0, 1], 0), plan('jira', null, [5, 5, 0], null)];

  it('per product: the plans of a product summed, named by product name, else code', () => {
    expect(seatBars(plans, false)).toEqual([
      { label: 'IntelliJ IDEA Ultimate', active: 11, inactive: 2, never_used: 4, available: 4 },
      { label: 'jira', active: 5, inactive: 5, never_used: 0, available: null },
    ]);
  });

  it('per product and team: one bar each', () => {
    expect(seatBars(plans, true).map((b) => b.label)).toEqual(['IntelliJ IDEA Ultimate · Backend', 'IntelliJ IDEA Ultimate · Frontend', 'jira']);
  });

  it('available is unknown (null) as soon as one plan of the bar has no figure', () => {
    expect(seatBars([plan('jira', null, [1, 0, 0], 3), plan('jira', null, [1, 0, 0], null)], false)[0]!.available).toBeNull();
  });
});

describe('csvRow', () => {
  it('follows the header, and gives the currency only beside a cost', () => {
    const seat = { email: 'a@x', name: 'A', product_code: 'II', product_name: 'IDEA', group: { id: 't', name: 'Team' }, reason: 'inactive', assigned_at: null, last_active_at: '2026-01-01T00:00:00.000Z', days_inactive: 90, monthly_cost: null } as unknown as ReclaimableSeat;
    expect(csvRow(seat, 'EUR')).toHaveLength(CSV_HEADER.length);
    expect(csvRow(seat, 'EUR').slice(-2)).toEqual([null, null]);
    expect(csvRow({ ...seat, monthly_cost: 59.9 }, 'EUR').slice(-2)).toEqual([59.9, 'EUR']);
    expect(csvRow({ ...seat, group: null }, null)[4]).toBeNull();
  });
});

describe('accessRows (what the credentials give access to)', () => {
  it('flattens nested keys, joins lists of values, counts lists of objects', () => {
    expect(accessRows({ organization: { id: '1', name: 'Acme' }, role: null, teams: [{ id: 1 }, { id: 2 }], extra: { scopes: ['read', 'write'], empty: [] } })).toEqual([
      ['organization id', '1'],
      ['organization name', 'Acme'],
      ['teams', '2 items'],
      ['extra scopes', 'read, write'],
      ['extra empty', 'none'],
    ]);
  });
});
