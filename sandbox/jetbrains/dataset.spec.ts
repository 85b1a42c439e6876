import type { JbLicense } from '../../src/connectors/jetbrains/jetbrains.types';
import { buildDataset, licenseIdFor } from './dataset';
import { addressPart } from './people';

/**
 * The generated datasets must be as unkind as the real upstream: ids without order, a person's
 * licenses scattered over pages, names and addresses as people really have them, lopsided teams.
 */
describe('JetBrains generated datasets', () => {
  const NOW = new Date('2026-11-01T00:00:00Z');
  const PAGE = 200;
  const data = buildDataset('10k', NOW);
  const friendly = buildDataset('10k', NOW, { order: 'friendly' });
  const users = (licenses: JbLicense[]) =>
    licenses.flatMap((l, index) => (l.assignee?.type === 'USER' ? [{ index, name: l.assignee.name, hasName: 'name' in l.assignee, email: l.assignee.email }] : []));
  /** Each person (the address in lower case, as the hub keys people) with where their licenses are served. */
  const people = (licenses: JbLicense[]) => {
    const out = new Map<string, ReturnType<typeof users>>();
    for (const user of users(licenses)) {
      const key = user.email.toLowerCase();
      out.set(key, [...(out.get(key) ?? []), user]);
    }
    return out;
  };
  const share = <T>(items: T[], pred: (item: T) => boolean) => items.filter(pred).length / items.length;

  it('gives unique, random-looking ids of ten upper-case alphanumerics', () => {
    const ids = data.licenses.map((l) => l.licenseId);
    expect(ids.every((id) => /^[A-Z0-9]{10}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // No shared prefix or position pattern: every position takes most of the 36 characters, and
    // about 10 in 36 of them are digits (the friendly ids all start with `L0`).
    for (let position = 0; position < 10; position++) {
      const chars = ids.map((id) => id[position]!);
      expect(new Set(chars).size).toBe(36);
      expect(share(chars, (c) => /\d/.test(c))).toBeGreaterThan(0.2);
      expect(share(chars, (c) => /\d/.test(c))).toBeLessThan(0.36);
    }
  });

  it('serves licenses neither sorted by id nor grouped by person', () => {
    const ids = data.licenses.map((l) => l.licenseId);
    const ascending = ids.slice(1).filter((id, i) => id > ids[i]!).length / (ids.length - 1);
    expect(ascending).toBeGreaterThan(0.45);
    expect(ascending).toBeLessThan(0.55);

    const multi = [...people(data.licenses).values()].filter((held) => held.length > 1);
    expect(multi.length).toBeGreaterThan(2_000);
    const contiguous = multi.filter((held) => held[held.length - 1]!.index - held[0]!.index === held.length - 1);
    expect(contiguous.length / multi.length).toBeLessThan(0.01);
    // Some people hold many licenses, and those land on many pages of 200.
    const pagesOf = (held: { index: number }[]) => new Set(held.map((h) => Math.floor(h.index / PAGE))).size;
    const spread = multi.filter((held) => pagesOf(held) >= 5);
    expect(spread.length / multi.length).toBeGreaterThan(0.01);
    expect(Math.max(...multi.map(pagesOf))).toBeGreaterThanOrEqual(8);
  });

  it('has names with accents, apostrophes, hyphens, other scripts, one word, empty and none', () => {
    const named = users(data.licenses).map((u) => u.name).filter((n): n is string => typeof n === 'string' && n.trim() !== '');
    expect(share(named, (n) => /[^\x00-\x7f]/.test(n))).toBeGreaterThan(0.2);
    for (const letter of ['é', 'ø', 'ß', 'ł']) expect(named.some((n) => n.includes(letter))).toBe(true);
    expect(named.some((n) => /\bO'Brien\b/.test(n))).toBe(true);
    expect(share(named, (n) => /\p{L}-\p{L}/u.test(n))).toBeGreaterThan(0.02);
    for (const script of ['Cyrillic', 'Han', 'Hangul', 'Greek', 'Arabic', 'Hebrew']) {
      expect(named.some((n) => new RegExp(`\\p{Script=${script}}`, 'u').test(n))).toBe(true);
    }
    expect(share(named, (n) => /^\S+$/.test(n.trim()))).toBeGreaterThan(0.02);
    expect(share(named, (n) => n !== n.trim())).toBeGreaterThan(0.001);
    const all = users(data.licenses);
    expect(all.some((u) => u.name === '')).toBe(true);
    expect(all.some((u) => u.hasName && u.name === null)).toBe(true);
    expect(all.some((u) => !u.hasName)).toBe(true);
  });

  it('has addresses with +tags, subdomains and numbered namesakes, each one person', () => {
    const byPerson = people(data.licenses);
    const addresses = [...byPerson.keys()];
    expect(share(addresses, (a) => /\+[a-z]+@/.test(a))).toBeGreaterThan(0.02);
    expect(share(addresses, (a) => /@[a-z]+\.corp\.example$/.test(a) || /@[a-z]+\.[a-z]+\.corp\.example$/.test(a))).toBeGreaterThan(0.15);
    expect(addresses.some((a) => /^[^+@]*\d(\+[a-z]+)?@/.test(a))).toBe(true);
    // One address is one person: the same name on every license, whatever the letter case.
    for (const held of byPerson.values()) expect(new Set(held.map((h) => `${h.hasName}|${h.name}`)).size).toBe(1);
    // Addresses are ASCII folded from the name (`Søren Groß` -> `soren.gross`).
    expect(addressPart("Søren O'Brien-Groß")).toBe('sorenobrien-gross');
    expect(addresses.every((a) => /^[\x21-\x7e]+$/.test(a))).toBe(true);
  });

  it('shows some people with their address in other letter cases on their other licenses', () => {
    const multi = [...people(data.licenses).values()].filter((held) => held.length > 1);
    const varied = multi.filter((held) => new Set(held.map((h) => h.email)).size > 1);
    expect(varied.length / multi.length).toBeGreaterThan(0.1);
    expect(varied.length / multi.length).toBeLessThan(0.6);
    const spellings = varied.flatMap((held) => held.map((h) => h.email));
    expect(spellings.some((e) => e === e.toUpperCase())).toBe(true);
    const [lowerLocal, upperDomain] = [(e: string) => e.split('@')[0]!, (e: string) => e.split('@')[1]!];
    expect(spellings.some((e) => lowerLocal(e) === lowerLocal(e).toLowerCase() && upperDomain(e) !== upperDomain(e).toLowerCase())).toBe(true);
    expect(spellings.some((e) => /^[A-Z][a-z]/.test(e))).toBe(true);
  });

  it('puts most seats in one team and leaves many small ones', () => {
    const seats = new Map<number, number>();
    for (const l of data.licenses) seats.set(l.team.id, (seats.get(l.team.id) ?? 0) + 1);
    const shares = [...seats.values()].map((n) => n / data.licenses.length).sort((a, b) => b - a);
    expect(data.teams).toHaveLength(16);
    expect(shares).toHaveLength(16);
    expect(shares[0]).toBeGreaterThan(0.5);
    expect(shares.filter((s) => s < 0.03).length).toBeGreaterThanOrEqual(10);
    expect(buildDataset('100k', NOW).teams.length).toBeGreaterThan(40);
  });

  it('is the same for the same seed and another for another seed', () => {
    expect(buildDataset('1k', NOW)).toEqual(buildDataset('1k', NOW));
    expect(buildDataset('1k', NOW, { seed: 7 })).toEqual(buildDataset('1k', NOW, { seed: 7 }));
    const other = buildDataset('1k', NOW, { seed: 8 });
    const ids = new Set(buildDataset('1k', NOW, { seed: 7 }).licenses.map((l) => l.licenseId));
    expect(other.licenses.filter((l) => ids.has(l.licenseId))).toEqual([]);
    expect(() => buildDataset('1k', NOW, { seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => buildDataset('1k', NOW, { order: 'sideways' as never })).toThrow(/unknown dataset order "sideways"/);
  });

  it('keeps the old shape with order friendly: the same licenses, in the order made, with ids in that order', () => {
    expect(friendly.licenses.map((l) => l.licenseId)).toEqual(friendly.licenses.map((_, i) => licenseIdFor(i)));
    const ids = friendly.licenses.map((l) => l.licenseId);
    expect(ids).toEqual([...ids].sort());
    // Every person's licenses sit together (only seats of nobody or of servers come between).
    for (const held of people(friendly.licenses).values()) {
      const between = friendly.licenses.slice(held[0]!.index, held[held.length - 1]!.index + 1);
      expect(between.filter((l) => l.assignee?.type === 'USER')).toHaveLength(held.length);
    }
    const content = (licenses: JbLicense[]) => licenses.map(({ licenseId: _, ...rest }) => JSON.stringify(rest)).sort();
    expect(content(friendly.licenses)).toEqual(content(data.licenses));
  });

  it('makes 250k licenses quickly', () => {
    const started = Date.now();
    const large = buildDataset('250k', NOW);
    // About 1.5 s on a busy 2-core machine; the bound only catches a generator gone quadratic.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(large.licenses).toHaveLength(250_000);
    expect(new Set(large.licenses.map((l) => l.licenseId)).size).toBe(250_000);
  });
});
