import { buildDataset } from '../../../sandbox/jetbrains/dataset';
import { toUtc } from '../../connector-kit';
import { LicenseAccumulator, mapGroups, mapLicensePlans, mapUsers, splitName } from './jetbrains.mapper';
import type { JbLicense } from './jetbrains.types';

const license = (overrides: Partial<JbLicense>): JbLicense => ({
  licenseId: 'L000000001',
  product: { code: 'II', name: 'IntelliJ IDEA Ultimate' },
  team: { id: 1, name: 'Backend' },
  subscription: { validUntilDate: '2027-01-01T00:00:00.000+01:00', subscriptionPackRef: 'P/1', isAutomaticallyRenewed: true, isOutdated: false },
  isTransferableBetweenTeams: true,
  isTrial: false,
  isSuspended: false,
  isAvailableToAssign: false,
  ...overrides,
});

describe('JetBrains mapper', () => {
  describe('toUtc', () => {
    it.each([
      ['2023-05-20T00:00:00.000+03:00', '2023-05-19T21:00:00.000Z'],
      ['2026-09-15T23:30:00.000+05:30', '2026-09-15T18:00:00.000Z'],
      ['2026-01-01T00:00:00.000-05:00', '2026-01-01T05:00:00.000Z'],
      ['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00.000Z'],
      ['2026-01-01T10:00:00+0200', null],
    ])('normalises %s', (input, expected) => {
      // The compact offset form is not ISO 8601 extended; V8 may or may not read it, so only
      // accept what it reads to the exact instant.
      const result = toUtc(input);
      if (expected === null) expect(result === null || result === '2026-01-01T08:00:00.000Z').toBe(true);
      else expect(result).toBe(expected);
    });

    it('gives null for absent or unreadable dates', () => {
      expect(toUtc(undefined)).toBeNull();
      expect(toUtc('')).toBeNull();
      expect(toUtc('yesterday')).toBeNull();
    });
  });

  describe('splitName', () => {
    it.each([
      ['Ada Lovelace', 'Ada', 'Lovelace'],
      ['  Ada   Lovelace ', 'Ada', 'Lovelace'],
      ['Linus', null, null],
      ['Jean Claude Van Damme', null, null],
      ['Lovelace, Ada', null, null],
      // Family name first in these scripts: splitting would make 佐藤 (Sato) the first name.
      ['佐藤 花子', null, null],
      ['王 小明', null, null],
      ['김 민준', null, null],
      ['Иван Петров', 'Иван', 'Петров'],
      ["Seán O'Brien", 'Seán', "O'Brien"],
      [null, null, null],
    ])('%s -> %s / %s', (name, first, last) => {
      expect(splitName(name)).toEqual({ first_name: first, last_name: last });
    });
  });

  describe('mapUsers', () => {
    it('keeps only USER assignees and merges addresses that differ in case', () => {
      const users = mapUsers([
        license({ licenseId: 'A', assignee: { type: 'USER', name: 'Ada Lovelace', email: 'Ada@Example.com' } }),
        license({ licenseId: 'B', product: { code: 'WS', name: 'WebStorm' }, assignee: { type: 'USER', name: 'Ada Lovelace', email: 'ada@example.com ' } }),
        license({ licenseId: 'C', assignee: { type: 'SERVER', uid: 's', serverType: 'LICENSE_SERVER' } }),
        license({ licenseId: 'D', assignee: { type: 'LICENSE_KEY', registrationName: 'r', key: 'k' } }),
        license({ licenseId: 'E' }),
        license({ licenseId: 'F', assignee: { type: 'USER', email: '' } }),
      ]);
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ id: 'ada@example.com', email: 'ada@example.com', remote_id: 'Ada@Example.com', name: 'Ada Lovelace' });
      expect(users[0]!.licenses.map((l) => l.product_code)).toEqual(['II', 'WS']);
    });

    it('is active when any license is active, else suspended', () => {
      const suspended = { isSuspended: true };
      const [mixed] = mapUsers([
        license({ licenseId: 'A', assignee: { type: 'USER', email: 'a@x' }, ...suspended }),
        license({ licenseId: 'B', assignee: { type: 'USER', email: 'a@x' } }),
      ]);
      expect(mixed!.status).toBe('active');
      const [only] = mapUsers([license({ assignee: { type: 'USER', email: 'a@x' }, ...suspended })]);
      expect(only!.status).toBe('suspended');
    });

    it('leaves out outdated subscriptions unless asked, and drops people left with nothing', () => {
      const outdated = { subscription: { validUntilDate: '2020-01-01T00:00:00.000Z', subscriptionPackRef: null, isAutomaticallyRenewed: false, isOutdated: true } };
      const licenses = [
        license({ licenseId: 'A', assignee: { type: 'USER', email: 'old@x' }, ...outdated, lastSeen: { lastSeenDate: '2025-01-01T00:00:00.000Z', isOfflineCodeGenerated: false } }),
        license({ licenseId: 'B', assignee: { type: 'USER', email: 'both@x' }, ...outdated, lastSeen: { lastSeenDate: '2026-06-01T00:00:00.000Z', isOfflineCodeGenerated: false } }),
        license({ licenseId: 'C', assignee: { type: 'USER', email: 'both@x' }, lastSeen: { lastSeenDate: '2026-01-01T00:00:00.000Z', isOfflineCodeGenerated: false } }),
      ];
      expect(mapUsers(licenses).map((u) => [u.id, u.last_active_at])).toEqual([['both@x', '2026-01-01T00:00:00.000Z']]);
      const all = mapUsers(licenses, { includeOutdated: true });
      expect(all.map((u) => [u.id, u.status, u.last_active_at])).toEqual([
        ['both@x', 'active', '2026-06-01T00:00:00.000Z'],
        ['old@x', 'suspended', '2025-01-01T00:00:00.000Z'],
      ]);
    });

    it('takes the latest lastSeenDate across offsets, null when never seen', () => {
      const [user] = mapUsers([
        license({ licenseId: 'A', assignee: { type: 'USER', email: 'a@x' }, lastSeen: { lastSeenDate: '2026-10-20T10:00:00.000-05:00', isOfflineCodeGenerated: false } }),
        license({ licenseId: 'B', assignee: { type: 'USER', email: 'a@x' }, lastSeen: { lastSeenDate: '2026-10-20T16:00:00.000+02:00', isOfflineCodeGenerated: false } }),
      ]);
      expect(user!.last_active_at).toBe('2026-10-20T15:00:00.000Z');
      const [never] = mapUsers([license({ assignee: { type: 'USER', email: 'b@x' }, lastSeen: { lastAssignmentDate: '2026-01-01T00:00:00.000Z', isOfflineCodeGenerated: false } })]);
      expect(never!.last_active_at).toBeNull();
      expect(never!.licenses[0]!.assigned_at).toBe('2026-01-01T00:00:00.000Z');
    });

    it('makes groups of the teams of the user licenses, sorted and distinct', () => {
      const [user] = mapUsers([
        license({ licenseId: 'A', assignee: { type: 'USER', email: 'a@x' }, team: { id: 20, name: 'Web' } }),
        license({ licenseId: 'B', assignee: { type: 'USER', email: 'a@x' }, team: { id: 10, name: 'Core' } }),
        license({ licenseId: 'C', assignee: { type: 'USER', email: 'a@x' }, team: { id: 20, name: 'Web' } }),
      ]);
      expect(user!.groups).toEqual([
        { id: '10', name: 'Core' },
        { id: '20', name: 'Web' },
      ]);
    });

    it('sorts users by id in byte order', () => {
      const ids = mapUsers(['b@x', 'A@x', 'a.b@x', 'a@x'].map((email, i) => license({ licenseId: `L${i}`, assignee: { type: 'USER', email } }))).map((u) => u.id);
      expect(ids).toEqual(['a.b@x', 'a@x', 'b@x']);
    });
  });

  describe('on generated data served as the real API serves it', () => {
    // Shuffled with random ids: a person's licenses on many pages, addresses in several letter cases.
    const NOW = new Date('2026-11-01T00:00:00Z');
    const realistic = buildDataset('10k', NOW);
    const friendly = buildDataset('10k', NOW, { order: 'friendly' });

    it('makes exactly one person per address whatever its letter case, with all their licenses and their name', () => {
      const expected = new Map<string, { ids: string[]; name: string | null }>();
      for (const l of realistic.licenses) {
        if (l.assignee?.type !== 'USER' || l.subscription?.isOutdated) continue;
        const key = l.assignee.email.toLowerCase();
        const person = expected.get(key) ?? { ids: [], name: l.assignee.name?.trim() || null };
        person.ids.push(l.licenseId);
        expected.set(key, person);
      }
      const users = mapUsers(realistic.licenses);
      expect(users.map((u) => u.id)).toEqual([...expected.keys()].sort());
      for (const user of users) {
        const person = expected.get(user.id)!;
        expect({ id: user.id, licenses: user.licenses.map((l) => l.id).sort(), name: user.name }).toEqual({ id: user.id, licenses: person.ids.sort(), name: person.name });
        expect(user.remote_id.toLowerCase()).toBe(user.id);
      }
    });

    it('gives the same people, groups and plans as the same licenses served in the order they were made', () => {
      // License ids differ between the two orders; everything else must not.
      const withoutIds = (users: ReturnType<typeof mapUsers>) =>
        users.map(({ remote_data: _, remote_id, licenses, ...rest }) => ({
          ...rest,
          remote_id: remote_id.toLowerCase(),
          licenses: licenses.map(({ id: __, ...l }) => JSON.stringify(l)).sort(),
        }));
      expect(withoutIds(mapUsers(realistic.licenses, { includeOutdated: true }))).toEqual(withoutIds(mapUsers(friendly.licenses, { includeOutdated: true })));
      const groups = (d: typeof realistic) => mapGroups(d.teams, d.licenses).map(({ id, name, member_count }) => ({ id, name, member_count }));
      expect(groups(realistic)).toEqual(groups(friendly));
      expect(mapLicensePlans(realistic.licenses)).toEqual(mapLicensePlans(friendly.licenses));
    });
  });

  describe('mapLicensePlans', () => {
    it('counts seats per product x team x pack over every assignee type', () => {
      const plans = mapLicensePlans([
        license({ licenseId: 'A', assignee: { type: 'USER', email: 'a@x' }, isTrial: true }),
        license({ licenseId: 'B', assignee: { type: 'SERVER', uid: 's', serverType: 'LICENSE_VAULT' } }),
        license({ licenseId: 'C', isAvailableToAssign: true }),
        license({ licenseId: 'D', assignee: { type: 'USER', email: 'b@x' }, isSuspended: true, team: { id: 2, name: 'Web' } }),
        license({ licenseId: 'E', subscription: undefined, perpetual: { upgradeDueDate: '2025-01-01T00:00:00.000Z', isOutdated: false } }),
      ]);
      expect(plans.map((p) => [p.id, p.total, p.assigned, p.available, p.suspended, p.trial])).toEqual([
        ['II:1:P/1', 3, 2, 1, 0, 1],
        ['II:1:none', 1, 0, 0, 0, 0],
        ['II:2:P/1', 1, 1, 0, 1, 0],
      ]);
      expect(plans[0]!.valid_until).toBe('2026-12-31T23:00:00.000Z');
    });
  });

  describe('mapGroups', () => {
    it('lists every team, including empty ones, with distinct members', () => {
      const groups = mapGroups(
        [
          { id: 1, name: 'Backend' },
          { id: 3, name: 'Empty' },
        ],
        [
          license({ licenseId: 'A', assignee: { type: 'USER', email: 'a@x' } }),
          license({ licenseId: 'B', assignee: { type: 'USER', email: 'A@x' } }),
          license({ licenseId: 'C', assignee: { type: 'USER', email: 'b@x' }, team: { id: 2, name: 'Only on licenses' } }),
        ],
      );
      expect(groups.map((g) => [g.id, g.name, g.member_count])).toEqual([
        ['1', 'Backend', 1],
        ['2', 'Only on licenses', 1],
        ['3', 'Empty', 0],
      ]);
    });
  });

  describe('LicenseAccumulator', () => {
    const licenses = ['A', 'B', 'C', 'D'].map((id, i) =>
      license({ licenseId: id, assignee: { type: 'USER', email: i % 2 ? 'b@x' : 'a@x' }, team: { id: i, name: `T${i}` } }),
    );

    it('gives the same result whatever order the pages arrive in, counting a repeated license once', () => {
      const inOrder = new LicenseAccumulator().add(licenses.slice(0, 2)).add(licenses.slice(2));
      const shuffled = new LicenseAccumulator().add([licenses[3]!, licenses[1]!]).add([licenses[2]!, licenses[0]!, licenses[1]!]);
      expect(JSON.stringify(shuffled.userViews())).toBe(JSON.stringify(inOrder.userViews()));
      expect(shuffled.licensePlans().map((p) => p.total)).toEqual([1, 1, 1, 1]);
      expect(shuffled.groups([]).map((g) => g.member_count)).toEqual([1, 1, 1, 1]);
    });

    it('puts the product name beside every product code: the license\'s own, else the catalogue\'s', () => {
      const unnamed = { code: 'DS', name: '' };
      const acc = new LicenseAccumulator().add([
        license({ licenseId: 'A', assignee: { type: 'USER', email: 'a@x' } }),
        license({ licenseId: 'B', product: unnamed, assignee: { type: 'USER', email: 'a@x' } }),
        license({ licenseId: 'C', product: { code: 'RR' } as JbLicense['product'] }),
      ]);
      expect(acc.unnamedProducts().sort()).toEqual(['DS', 'RR']);
      acc.nameProducts(new Map([['DS', 'DataSpell'], ['RR', 'RustRover'], ['II', 'not the license\'s name']]));
      const [user] = acc.userViews().current;
      expect(user!.licenses.map((l) => [l.product_code, l.product_name, l.name])).toEqual([
        ['II', 'IntelliJ IDEA Ultimate', 'IntelliJ IDEA Ultimate'],
        ['DS', 'DataSpell', 'DataSpell'],
      ]);
      expect(acc.licensePlans().map((p) => [p.product_code, p.product_name, p.name])).toEqual([
        ['DS', 'DataSpell', 'DataSpell'],
        ['II', 'IntelliJ IDEA Ultimate', 'IntelliJ IDEA Ultimate'],
        ['RR', 'RustRover', 'RustRover'],
      ]);
      // What a sync stores is the same record.
      const [record] = [...acc.userRecords()];
      expect(JSON.parse(record!.current!.data)).toEqual(JSON.parse(JSON.stringify({ ...user, remote_data: undefined })));
    });

    it('leaves product_name null when neither the license nor the catalogue names the product, and asks for nothing when all are named', () => {
      expect(new LicenseAccumulator().add(licenses).unnamedProducts()).toEqual([]);
      const acc = new LicenseAccumulator().add([license({ product: { code: 'ZZ', name: ' ' }, assignee: { type: 'USER', email: 'a@x' } })]);
      const [user] = acc.nameProducts(new Map()).userViews().current;
      expect(user!.licenses[0]).toMatchObject({ product_code: 'ZZ', product_name: null, name: null });
    });

    it('stores each record byte for byte as JSON.stringify of the user written out by hand (key order, escaping, catalogue names)', () => {
      const team = { id: 7, name: 'Q"A \u2028 \\ Zoë' };
      const held = [
        license({ licenseId: 'B2', product: { code: 'ZZ', name: '' }, team, assignee: { type: 'USER', email: 'Zoé@X.example', name: 'Zoé "Z" O\'Brien' }, lastSeen: { lastSeenDate: '2026-02-01T10:00:00.000+01:00', lastAssignmentDate: '2025-01-01T00:00:00.000Z', isOfflineCodeGenerated: false } }),
        license({ licenseId: 'A1', product: { code: 'QQ', name: '' }, team: undefined, subscription: undefined, isSuspended: true, assignee: { type: 'USER', email: 'zoé@x.example', name: 'Other' } }),
      ];
      const acc = new LicenseAccumulator().add(held, { parts: [], seats: [] }).nameProducts(new Map([['ZZ', 'Zed "IDE"']]));
      const [records] = [...acc.userRecords()];
      const unified = (id: string, code: string, name: string | null, rest: object) => ({ id, product_code: code, product_name: name, name, ...rest });
      const expected = {
        id: 'zoé@x.example',
        remote_id: 'zoé@x.example',
        email: 'zoé@x.example',
        emails: [{ email: 'zoé@x.example', type: 'work', is_primary: true }],
        name: 'Other',
        first_name: null,
        last_name: null,
        status: 'active',
        licenses: [
          unified('A1', 'QQ', null, { status: 'suspended', is_trial: false, team: null, subscription_pack: null, valid_until: null, assigned_at: null, last_active_at: null }),
          unified('B2', 'ZZ', 'Zed "IDE"', {
            status: 'active',
            is_trial: false,
            team: { id: '7', name: team.name },
            subscription_pack: 'P/1',
            valid_until: '2026-12-31T23:00:00.000Z',
            assigned_at: '2025-01-01T00:00:00.000Z',
            last_active_at: '2026-02-01T09:00:00.000Z',
          }),
        ],
        groups: [{ id: '7', name: team.name }],
        last_active_at: '2026-02-01T09:00:00.000Z',
        integration: 'jetbrains',
      };
      expect(records!.current!.data).toBe(JSON.stringify(expected));
    });

    it('keeps the raw licenses as JSON text, serialised as the records they were', () => {
      const [user] = new LicenseAccumulator().add(licenses).userViews().current;
      expect(JSON.parse(JSON.stringify(user!.remote_data))).toEqual([licenses[0], licenses[2]]);
    });
  });
});
