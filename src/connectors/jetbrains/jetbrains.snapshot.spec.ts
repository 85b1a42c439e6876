import { buildDataset } from '../../../sandbox/jetbrains/dataset';
import { SerializedRecord, deriveRows, overlayRecords, serializeRecord } from '../../connector-kit';
import { HandedOut, LicenseAccumulator } from './jetbrains.mapper';
import { SNAPSHOT_CHUNK, snapshotChunks } from './jetbrains.snapshot';

describe('snapshotChunks', () => {
  // 1k licenses: people with several licenses, letter-case variants, suspended, outdated-only people.
  const dataset = buildDataset('1k', new Date('2026-06-01T00:00:00Z'));
  const teams = [{ id: 999, name: 'Team without licenses' }];
  const accumulator = new LicenseAccumulator().add(dataset.licenses);

  const byKind = () => {
    const out = new Map<string, SerializedRecord[]>();
    for (const chunk of snapshotChunks(accumulator, teams)) {
      expect(chunk.records.length).toBeLessThanOrEqual(SNAPSHOT_CHUNK);
      out.set(chunk.kind, [...(out.get(chunk.kind) ?? []), ...chunk.records]);
    }
    return out;
  };

  it('stores exactly what the hub would store from the user, group and plan lists', () => {
    const users = accumulator.userViews();
    const plans = accumulator.licensePlans();
    const expected = new Map<string, SerializedRecord[]>([
      ['users', users.current.map(serializeRecord)],
      ['users:with-outdated', overlayRecords(users.current, users.withOutdated)],
      ['groups', accumulator.groups(teams).map(serializeRecord)],
      ['licenses', plans.map(serializeRecord)],
      ['licenses:with-outdated', overlayRecords(plans, accumulator.licensePlans({ includeOutdated: true }))],
    ]);
    const actual = byKind();
    for (const [kind, records] of expected) expect({ kind, records: actual.get(kind) ?? [] }).toEqual({ kind, records });
    // The dataset exercises every part: people with outdated licenses, and more users than one chunk.
    expect(actual.get('users:with-outdated')!.length).toBeGreaterThan(0);
    expect(actual.get('users')!.length).toBeGreaterThan(SNAPSHOT_CHUNK / 4);
  });

  it('hands over the seat and people rows of its user records, as the hub derives them from the user lists', () => {
    const users = accumulator.userViews();
    const derived = { users: { seats: [] as unknown[], people: [] as unknown[] }, 'users:with-outdated': { seats: [] as unknown[], people: [] as unknown[] } };
    for (const chunk of snapshotChunks(accumulator, teams)) {
      if (chunk.kind !== 'users' && chunk.kind !== 'users:with-outdated') {
        expect(chunk.derived).toBeUndefined();
        continue;
      }
      derived[chunk.kind].seats.push(...chunk.derived!.seats);
      derived[chunk.kind].people.push(...chunk.derived!.people);
    }
    const withOutdatedOnly = users.withOutdated.filter((u) => !users.current.some((c) => c === u));
    expect(derived.users).toEqual(deriveRows(users.current));
    expect(derived['users:with-outdated']).toEqual(deriveRows(withOutdatedOnly, true));
    expect(derived.users.seats.length).toBeGreaterThan(users.current.length);
    expect(derived['users:with-outdated'].seats.length).toBeGreaterThan(0);
    expect(derived['users:with-outdated'].people).toEqual([]);
  });

  it('with the seats handed out page by page, the seats and their corrections add up to what the hub derives from the users', () => {
    const [template] = dataset.licenses.filter((l) => l.assignee?.type === 'USER' && l.assignee.name);
    const email = (template!.assignee as { email: string }).email;
    const extra = [
      // The same person under another name, on a license whose id sorts first: the person's name
      // becomes this one, so every seat handed out with the other name needs correcting.
      { ...template!, licenseId: '0000000001', assignee: { type: 'USER' as const, email: email.toUpperCase(), name: 'Zoë Ünïcode-O\'Brien' } },
      // A product without a name that the catalogue names.
      { ...template!, licenseId: '0000000002', product: { code: 'ZZ', name: ' ' } },
    ];
    const pages: (typeof dataset.licenses)[] = [];
    const all = [...extra, ...dataset.licenses];
    for (let i = 0; i < all.length; i += 200) pages.push(all.slice(i, i + 200));
    const handed = new LicenseAccumulator();
    const seats = new Map<string, unknown>();
    for (const page of pages) {
      const out = { parts: [], seats: [] } as HandedOut;
      handed.add(page, out);
      for (const seat of out.seats) seats.set(seat.id, seat);
      expect(out.seats.length).toBeLessThanOrEqual(out.parts.length);
    }
    handed.nameProducts(new Map([['ZZ', 'Zed Zone']]));
    const people: unknown[] = [];
    let corrected = 0;
    for (const chunk of snapshotChunks(handed, teams)) {
      if (!chunk.derived) continue;
      expect(chunk.derived.seats).toEqual([]);
      people.push(...chunk.derived.people);
      for (const seat of chunk.derived.seatUpdates ?? []) {
        expect(seats.has(seat.id)).toBe(true);
        seats.set(seat.id, seat);
        corrected++;
      }
    }
    const reference = new LicenseAccumulator().add(all).nameProducts(new Map([['ZZ', 'Zed Zone']]));
    const users = reference.userViews();
    const withOutdatedOnly = users.withOutdated.filter((u) => !users.current.some((c) => c === u));
    const expected = [...deriveRows(users.current).seats, ...deriveRows(withOutdatedOnly, true).seats];
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect([...seats.values()].sort(byId as never)).toEqual(expected.sort(byId));
    expect(people).toEqual(deriveRows(users.current).people);
    // Corrected: every seat of the renamed person but the one that carried the new name (the
    // unnamed product's seat is one of them). Nobody else's.
    const renamed = expected.filter((seat) => JSON.parse(seat.data).name === "Zoë Ünïcode-O'Brien");
    expect(renamed.length).toBeGreaterThan(2);
    expect(corrected).toBe(renamed.length - 1);
    expect(JSON.parse(expected.find((seat) => seat.id === '0000000002')!.data).product_name).toBe('Zed Zone');
  });

  it('writes users in id order, each record valid JSON with its raw licenses', () => {
    const users = byKind().get('users')!;
    expect(users.map((u) => u.id)).toEqual([...users.map((u) => u.id)].sort());
    for (const record of users.slice(0, 50)) {
      const data = JSON.parse(record.data) as { id: string; licenses: { id: string }[] };
      const raw = JSON.parse(record.remote_data!) as { licenseId: string }[];
      expect(data.id).toBe(record.id);
      expect(raw.map((l) => l.licenseId)).toEqual(data.licenses.map((l) => l.id));
    }
  });
});
