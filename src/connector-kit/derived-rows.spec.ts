import type { UnifiedUser, UnifiedUserLicense } from './unified.types';
import { seatPlanKey, seatsOfUser } from './derived-rows';

const license = (over: Partial<UnifiedUserLicense>): UnifiedUserLicense => ({
  id: 'N9IX2NWHK5',
  product_code: 'II',
  product_name: 'IntelliJ IDEA Ultimate',
  name: 'IntelliJ IDEA Ultimate',
  status: 'active',
  is_trial: false,
  team: { id: '2573297', name: 'Backend' },
  subscription_pack: null,
  valid_until: null,
  assigned_at: '2026-01-01T00:00:00.000Z',
  last_active_at: '2026-11-01T00:00:00.000Z',
  ...over,
});
const user = (over: Partial<UnifiedUser>): UnifiedUser => ({
  id: 'zoë@example.com',
  remote_id: 'zoë@example.com',
  email: 'zoë@example.com',
  emails: [],
  name: 'Zoë O\'Brien',
  first_name: null,
  last_name: null,
  status: 'active',
  licenses: [license({})],
  groups: [],
  last_active_at: null,
  integration: 'jetbrains',
  ...over,
});

describe('seats of a person', () => {
  it('is one seat per license, keyed by the license id, with the team as group', () => {
    const [seat, ...rest] = seatsOfUser(user({ licenses: [license({}), license({ id: 'Q0WERTY123', product_code: 'WS', name: 'WebStorm', team: null })] }));
    expect(rest).toHaveLength(1);
    expect(seat).toEqual({
      id: 'N9IX2NWHK5',
      user_id: 'zoë@example.com',
      email: 'zoë@example.com',
      name: "Zoë O'Brien",
      product_code: 'II',
      product_name: 'IntelliJ IDEA Ultimate',
      group: { id: '2573297', name: 'Backend' },
      subscription_pack: null,
      assigned_at: '2026-01-01T00:00:00.000Z',
      last_active_at: '2026-11-01T00:00:00.000Z',
      license_status: 'active',
      outdated: false,
    });
    expect(rest[0]).toMatchObject({ id: 'Q0WERTY123', group: null });
    expect(seatPlanKey(seat!)).toBe(JSON.stringify(['II', '2573297', null]));
  });

  it('keys a product access (license id = product code) by person and product', () => {
    const seats = seatsOfUser(user({ id: '5b10ac8d82e05b22cc7d4ef5', licenses: [license({ id: 'jira-software', product_code: 'jira-software', team: null })] }));
    expect(seats.map((s) => s.id)).toEqual(['5b10ac8d82e05b22cc7d4ef5:jira-software']);
  });

  it('gives bots, portal customers and closed accounts no seats', () => {
    expect(seatsOfUser(user({ account_type: 'app' }))).toEqual([]);
    expect(seatsOfUser(user({ account_type: 'customer' }))).toEqual([]);
    expect(seatsOfUser(user({ status: 'deleted' }))).toEqual([]);
    expect(seatsOfUser(user({ account_type: 'atlassian', status: 'suspended' }))).toHaveLength(1);
  });

  it('marks outdated licenses, and keeps only those when asked', () => {
    const both = user({ licenses: [license({}), license({ id: 'OLD0000001', status: 'outdated' })] });
    expect(seatsOfUser(both).map((s) => [s.id, s.outdated])).toEqual([
      ['N9IX2NWHK5', false],
      ['OLD0000001', true],
    ]);
    expect(seatsOfUser(both, true).map((s) => s.id)).toEqual(['OLD0000001']);
  });
});
