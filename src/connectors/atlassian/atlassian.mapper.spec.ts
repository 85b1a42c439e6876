import { mapLicensePlans, mapUsers, userStatus } from './atlassian.mapper';
import type { AtlUserV1, AtlUserV2 } from './atlassian.types';

const v1 = (u: Partial<AtlUserV1>): AtlUserV1 => ({
  account_id: 'acc-1',
  account_type: 'atlassian',
  account_status: 'active',
  name: 'Ada Lovelace',
  picture: 'https://x/p.png',
  product_access: [],
  ...u,
});
const v2 = (u: Partial<AtlUserV2>): AtlUserV2 => ({
  accountId: 'acc-1',
  accountType: 'atlassian',
  status: 'active',
  accountStatus: 'active',
  membershipStatus: 'active',
  name: 'Ada Lovelace',
  claimStatus: 'managed',
  ...u,
});

describe('Atlassian mapper', () => {
  it.each([
    [undefined, 'active', 'active'],
    [undefined, 'inactive', 'inactive'],
    [undefined, 'closed', 'deleted'],
    ['suspended', 'active', 'suspended'],
    ['deactivated', 'inactive', 'inactive'],
    ['not_invited', 'active', 'inactive'],
    ['for_deletion', 'closed', 'deleted'],
    ['active', 'active', 'active'],
  ])('v2 status %s with v1 account_status %s is %s', (v2Status, accountStatus, expected) => {
    expect(userStatus(v1({ account_status: accountStatus }), v2Status ? v2({ status: v2Status }) : undefined)).toBe(expected);
  });

  it('merges v1 and v2 per account_id, keeping the latest activity per product', () => {
    const [user] = mapUsers(
      [v1({ email: 'Ada@X.example', access_billable: true, last_active: '2026-10-01', product_access: [{ key: 'jira-software', name: 'Jira', last_active: '2026-10-01' }] })],
      [v2({ productAccess: [{ key: 'jira-software', id: 'j1', lastActiveTimestamp: '2026-10-03T10:00:00Z' }, { key: 'confluence', id: 'c1' }], groups: [{ id: 'g2', name: 'b' }, { id: 'g1', name: 'a' }] })],
    );
    expect(user).toMatchObject({
      id: 'acc-1',
      email: 'ada@x.example',
      is_billable: true,
      last_active_at: '2026-10-03T10:00:00.000Z',
      groups: [{ id: 'g1', name: 'a' }, { id: 'g2', name: 'b' }],
    });
    expect(user!.licenses.map((l) => [l.id, l.name, l.last_active_at])).toEqual([
      ['confluence', 'Confluence', null],
      ['jira-software', 'Jira', '2026-10-03T10:00:00.000Z'],
    ]);
  });

  it('keeps users without email, with an empty emails list', () => {
    const users = mapUsers([v1({ account_id: 'b' })], [v2({ accountId: 'a', claimStatus: 'unmanaged', email: undefined })]);
    expect(users.map((u) => [u.id, u.email, u.emails])).toEqual([
      ['a', null, []],
      ['b', null, []],
    ]);
  });

  it('counts activity windows from the given time', () => {
    const now = Date.parse('2026-11-20T00:00:00Z');
    const users = mapUsers(
      [
        v1({ account_id: 'a', product_access: [{ key: 'confluence', name: 'Confluence', last_active: '2026-11-01' }] }),
        v1({ account_id: 'b', account_status: 'inactive', product_access: [{ key: 'confluence', name: 'Confluence', last_active: '2026-09-01' }] }),
        v1({ account_id: 'c', product_access: [{ key: 'confluence', name: 'Confluence' }] }),
      ],
      [],
    );
    expect(mapLicensePlans(users, now)).toEqual([
      expect.objectContaining({ id: 'confluence', total: null, available: null, unavailable: null, assigned: 3, suspended: 1, active_last_30_days: 1, active_last_90_days: 2 }),
    ]);
  });

  describe('with a site', () => {
    const site = 'https://acme.atlassian.net';
    const managed = v1({
      account_id: 'm',
      product_access: [
        { key: 'jira-software', name: 'Jira', url: 'acme.atlassian.net', last_active: '2026-10-01' },
        { key: 'jira-software', name: 'Jira', url: 'https://labs.atlassian.net/', last_active: '2026-11-01' },
        { key: 'confluence', name: 'Confluence', url: 'https://ACME.atlassian.net/', last_active: '2026-09-01' },
        { key: 'trello', name: 'Trello' },
      ],
    });
    const managedV2 = v2({ accountId: 'm', productAccess: [{ key: 'confluence', id: 'cloud-acme', lastActiveTimestamp: '2026-09-02T00:00:00Z' }] });
    const unmanaged = v2({
      accountId: 'u',
      claimStatus: 'unmanaged',
      productAccess: [
        { key: 'confluence', id: 'cloud-acme', lastActiveTimestamp: '2026-10-05T00:00:00Z' },
        { key: 'confluence', id: 'cloud-labs' },
        { key: 'opsgenie', id: 'cloud-acme' },
      ],
    });

    it('without one, counts a product on two sites once, with its latest activity', () => {
      const [m] = mapUsers([managed], []);
      expect(m!.licenses.map((l) => [l.id, l.last_active_at])).toEqual([
        ['confluence', '2026-09-01T00:00:00.000Z'],
        ['jira-software', '2026-11-01T00:00:00.000Z'],
        ['trello', null],
      ]);
    });

    it('keeps only product access on that site, however v1 writes its url', () => {
      const [m] = mapUsers([managed], [], { site });
      expect(m!.licenses.map((l) => [l.id, l.last_active_at])).toEqual([
        ['confluence', '2026-09-01T00:00:00.000Z'],
        ['jira-software', '2026-10-01T00:00:00.000Z'],
      ]);
    });

    it('places v2-only access by instance ids learnt from people in both lists, dropping what it cannot place', () => {
      const users = mapUsers([managed], [managedV2, unmanaged], { site });
      const u = users.find((x) => x.id === 'u')!;
      expect(u.licenses.map((l) => [l.id, l.last_active_at])).toEqual([['confluence', '2026-10-05T00:00:00.000Z']]);
      expect(mapLicensePlans(users, Date.parse('2026-11-20T00:00:00Z')).map((p) => [p.id, p.assigned])).toEqual([
        ['confluence', 2],
        ['jira-software', 1],
      ]);
    });
  });

  it.each([
    [true, true, true],
    [true, false, false],
    [true, null, null],
    [false, true, null],
    [false, false, null],
    [null, true, true],
    [null, false, false],
  ] as const)('Guard %s with access_billable %s makes is_billable %s', (guard, billable, expected) => {
    const [user] = mapUsers([v1(billable === null ? {} : { access_billable: billable })], [], { guard });
    expect(user!.is_billable).toBe(expected);
  });

  it('puts the product name beside every product code, in licenses and plans', () => {
    const users = mapUsers(
      [v1({ product_access: [{ key: 'confluence', name: 'Confluence Cloud', last_active: '2026-10-01' }] })],
      [v2({ productAccess: [{ key: 'jira-software', id: 'i-1', lastActiveTimestamp: '2026-10-02T00:00:00Z' }] } as Partial<AtlUserV2>)],
    );
    expect(users[0]!.licenses.map((l) => [l.product_code, l.product_name, l.name])).toEqual([
      ['confluence', 'Confluence Cloud', 'Confluence Cloud'],
      ['jira-software', 'Jira', 'Jira'],
    ]);
    expect(mapLicensePlans(users, Date.parse('2026-10-03')).map((p) => [p.product_code, p.product_name, p.name])).toEqual([
      ['confluence', 'Confluence Cloud', 'Confluence Cloud'],
      ['jira-software', 'Jira', 'Jira'],
    ]);
  });
});
