import type { JbAssignee, JbLicense, JbProduct, JbTeam } from '../../src/connectors/jetbrains/jetbrains.types';
import { pick, seededRandom, shuffle } from '../shared/random';
import { formatWithOffset, OFFSETS } from './dates';
import { emailAsShown, personFactory } from './people';
import { PRODUCTS } from './products';

/** A token the simulator accepts (JetBrains: one per person, scoped to the org or one team). */
export interface SimToken {
  apiKey: string;
  kind: 'CUSTOMER' | 'TEAM';
  role: 'ADMIN' | 'VIEWER' | 'PRIMARY_CONTACT';
  teamId?: number;
}

export interface JetbrainsDataset {
  customer: { code: number; name: string };
  teams: JbTeam[];
  licenses: JbLicense[];
  tokens: SimToken[];
}

export const SIM_CUSTOMER_CODE = 1234567;
export const SIM_ADMIN_TOKEN = 'sim-admin-token-0123456789';
export const SIM_VIEWER_TOKEN = 'sim-viewer-token-0123456789';
export const SIM_TEAM_TOKEN = 'sim-team-token-0123456789';

const DAY = 86_400_000;

export type DatasetName = 'tiny' | 'small' | '1k' | '10k' | '40k' | '100k' | '250k';

/** How a generated dataset is served: like the real API (the default), or in the order it was made. */
export type DatasetOrder = 'friendly' | 'realistic';
export const DATASET_ORDERS: readonly DatasetOrder[] = ['friendly', 'realistic'];

export interface DatasetOptions {
  /** See generatedDataset; the hand-written tiny set is always served as written. */
  order?: DatasetOrder;
  /** Another seed gives another organisation of the same size; by default the size is the seed. */
  seed?: number;
}

export function buildDataset(name: DatasetName | string, now = new Date(), options: DatasetOptions = {}): JetbrainsDataset {
  if (options.order !== undefined && !DATASET_ORDERS.includes(options.order)) {
    throw new Error(`unknown dataset order "${String(options.order)}" (${DATASET_ORDERS.join(' or ')})`);
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) throw new Error(`dataset seed must be an integer, not ${options.seed}`);
  if (name === 'tiny') return tinyDataset(now);
  const sizes: Record<string, number> = { small: 250, '1k': 1_000, '10k': 10_000, '40k': 40_000, '100k': 100_000, '250k': 250_000 };
  const size = sizes[name] ?? Number(name);
  if (!Number.isInteger(size) || size < 1) throw new Error(`unknown dataset "${name}" (tiny, small, 1k, 10k, 40k, 100k, 250k or a number)`);
  return generatedDataset(size, now, options);
}

function tokensFor(teamId: number): SimToken[] {
  return [
    { apiKey: SIM_ADMIN_TOKEN, kind: 'CUSTOMER', role: 'ADMIN' },
    { apiKey: SIM_VIEWER_TOKEN, kind: 'CUSTOMER', role: 'VIEWER' },
    { apiKey: SIM_TEAM_TOKEN, kind: 'TEAM', role: 'ADMIN', teamId },
  ];
}

/**
 * Hand-written licenses, one edge case each, so tests can assert exact results:
 * letter-case duplicates, servers and keys, unassigned seats, outdated and perpetual licenses,
 * suspended-only people, never-seen licenses, names that cannot be split, stopped renewals.
 */
function tinyDataset(now: Date): JetbrainsDataset {
  const backend = { id: 2573297, name: 'Backend' };
  const frontend = { id: 2717496, name: 'Frontend' };
  const contractors = { id: 3000002, name: 'Contractors' };
  const empty = { id: 3000003, name: 'Empty Team' };
  const product = (code: string) => PRODUCTS.find((p) => p.code === code)!;
  const sub = (validUntil: string, pack: string | null, outdated = false) => ({
    validUntilDate: validUntil,
    subscriptionPackRef: pack,
    isAutomaticallyRenewed: pack !== null,
    isOutdated: outdated,
  });
  const user = (email: string, name?: string | null): JbAssignee =>
    name === undefined ? ({ type: 'USER', email } as JbAssignee) : { type: 'USER', name, email };
  const base = (licenseId: string, code: string, team: JbTeam, extra: Partial<JbLicense>): JbLicense => ({
    licenseId,
    product: product(code),
    team,
    isTransferableBetweenTeams: true,
    isTrial: false,
    isSuspended: false,
    isAvailableToAssign: false,
    ...extra,
  });
  const recent = formatWithOffset(new Date(now.getTime() - 5 * DAY), 60);
  const licenses: JbLicense[] = [
    base('AAAAAAA001', 'II', backend, {
      assignee: user('ada@example.com', 'Ada Lovelace'),
      subscription: sub('2027-05-20T00:00:00.000+02:00', '1215/ABCDE'),
      lastSeen: { lastSeenDate: '2026-10-01T08:15:00.000+02:00', lastAssignmentDate: '2025-01-10T09:00:00.000+01:00', isOfflineCodeGenerated: false },
    }),
    base('AAAAAAA002', 'WS', frontend, {
      assignee: user('Ada@Example.com', 'Ada Lovelace'),
      subscription: sub('2027-03-01T00:00:00.000-05:00', '1215/FGHIJ'),
      lastSeen: { lastSeenDate: '2026-10-20T10:00:00.000-05:00', lastAssignmentDate: '2025-02-01T12:00:00.000Z', isOfflineCodeGenerated: false },
    }),
    base('AAAAAAA003', 'PC', backend, {
      assignee: user('grace@example.com', 'Grace Hopper'),
      subscription: sub('2027-05-20T00:00:00.000+02:00', '1215/ABCDE'),
      isSuspended: true,
    }),
    base('AAAAAAA004', 'II', backend, {
      assignee: user('linus@example.com', 'Linus'),
      subscription: sub('2026-12-31T00:00:00.000+05:30', '1215/ABCDE'),
      lastSeen: { lastSeenDate: '2026-09-15T23:30:00.000+05:30', isOfflineCodeGenerated: true },
      isTrial: true,
    }),
    base('AAAAAAA005', 'GO', backend, {
      assignee: user('noname@example.com'),
      subscription: sub('2027-05-20T00:00:00.000+02:00', '1215/ABCDE'),
    }),
    base('AAAAAAA006', 'DB', frontend, {
      assignee: user('jcvd@example.com', 'Jean Claude Van Damme'),
      subscription: sub('2027-03-01T00:00:00.000-05:00', '1215/FGHIJ'),
      lastSeen: { lastSeenDate: '2026-08-01T00:00:00.000Z', isOfflineCodeGenerated: false },
    }),
    base('AAAAAAA007', 'II', backend, { subscription: sub('2027-05-20T00:00:00.000+02:00', '1215/ABCDE'), isAvailableToAssign: true }),
    base('AAAAAAA008', 'II', backend, {
      assignee: { type: 'SERVER', uid: 'srv-42', serverType: 'LICENSE_VAULT' },
      subscription: sub('2027-05-20T00:00:00.000+02:00', '1215/ABCDE'),
    }),
    base('AAAAAAA009', 'WS', frontend, {
      assignee: { type: 'LICENSE_KEY', registrationName: 'Build Agent', key: 'KEY-XXXX-0009' },
      subscription: sub('2027-03-01T00:00:00.000-05:00', '1215/FGHIJ'),
    }),
    base('AAAAAAA010', 'CL', backend, {
      assignee: user('old@example.com', 'Old Timer'),
      subscription: sub('2024-01-31T00:00:00.000+01:00', '0999/OLDPK', true),
      lastSeen: { lastSeenDate: '2024-01-02T10:00:00.000+01:00', isOfflineCodeGenerated: false },
    }),
    base('AAAAAAA011', 'WS', frontend, {
      assignee: user('GRACE@EXAMPLE.COM', 'Grace Hopper'),
      subscription: sub('2027-03-01T00:00:00.000-05:00', '1215/FGHIJ'),
      lastSeen: { lastSeenDate: '2026-07-04T12:00:00.000+03:00', isOfflineCodeGenerated: false },
      isSuspended: true,
    }),
    base('AAAAAAA012', 'PS', contractors, {
      assignee: user('Mixed.Case@Example.COM', 'Mixed Case'),
      perpetual: { upgradeDueDate: '2025-06-01T00:00:00.000+02:00', isOutdated: false },
      lastSeen: { lastSeenDate: '2026-11-01T09:00:00.000+01:00', isOfflineCodeGenerated: false },
    }),
    base('AAAAAAA013', 'RD', backend, {
      assignee: user('ada@example.com', 'Ada Lovelace'),
      subscription: sub('2024-02-01T00:00:00.000+01:00', '0999/OLDPK', true),
      lastSeen: { lastSeenDate: '2026-11-10T10:00:00.000+01:00', isOfflineCodeGenerated: false },
    }),
    base('AAAAAAA014', 'II', backend, { subscription: sub('2027-05-20T00:00:00.000+02:00', '1215/ABCDE') }),
    base('AAAAAAA015', 'II', backend, {
      assignee: user('stop@example.com', 'Renewal Stopped'),
      subscription: sub('2027-01-15T00:00:00.000+02:00', null),
      lastSeen: { lastSeenDate: '2026-10-30T17:45:12.345+02:00', isOfflineCodeGenerated: false },
    }),
    base('AAAAAAA016', 'II', backend, {
      assignee: user('new@example.com', 'New Hire'),
      subscription: sub('2027-05-20T00:00:00.000+02:00', '1215/ABCDE'),
      lastSeen: { lastAssignmentDate: recent, isOfflineCodeGenerated: false },
      isTrial: true,
    }),
    base('AAAAAAA017', 'WS', frontend, {
      subscription: sub('2027-03-01T00:00:00.000-05:00', '1215/FGHIJ'),
      isAvailableToAssign: true,
    }),
  ];
  return {
    customer: { code: SIM_CUSTOMER_CODE, name: 'Acme GmbH' },
    teams: [backend, frontend, contractors, empty],
    licenses,
    tokens: tokensFor(backend.id),
  };
}

const TEAM_NAMES = [
  'Backend', 'Frontend', 'Data', 'Mobile', 'Platform', 'Security', 'QA', 'Design', 'Infra', 'ML', 'Payments', 'Search',
  'Growth', 'Support', 'Contractors', 'Research', 'Équipe Paris', 'München Dev', 'São Paulo', 'Kraków QA', 'Tooling',
  'Release', 'Docs', 'Analytics', 'Billing', 'Identity', 'Edge', 'Firmware', 'Games', 'Localization', 'Partners', 'Interns',
];
const PRODUCT_WEIGHTS: [string, number][] = [['II', 30], ['WS', 14], ['PC', 12], ['GO', 8], ['DB', 9], ['CL', 5], ['PS', 5], ['RM', 3], ['RD', 5], ['RR', 2], ['DS', 2], ['ALL', 4], ['AIP', 6]];
/** Share of all seats in the first team; the others share the rest by a Zipf law (a long tail of small teams). */
const MAIN_TEAM_SHARE = 0.55;

/**
 * A large organisation: about 2.45 licenses per person (100k licenses ~ 40k people), with the same
 * edge cases as the tiny set at realistic rates. Deterministic for a size and seed.
 *
 * `realistic` (the default) serves it the way the real API does: random-looking ids, in an order
 * that follows neither person nor id, so a person's licenses are spread over pages. `friendly` is
 * the same people and licenses in the order they were made, with ids that sort in that order.
 */
function generatedDataset(size: number, now: Date, options: DatasetOptions): JetbrainsDataset {
  const seed = options.seed ?? size * 7919 + 17;
  const random = seededRandom(seed);
  const teams = generatedTeams(size);
  const pickTeam = skewedPicker(random, teams);
  const productTable = PRODUCT_WEIGHTS.flatMap(([code, weight]) => Array<string>(weight).fill(code));
  // One product and team object per dataset, shared by its licenses (the API replaces, never edits, them).
  const products = new Map(PRODUCTS.map((p) => [p.code, { ...p }]));
  const packs = new Map<string, string>();
  const packFor = (team: JbTeam, code: string, generation: number): string => {
    const key = `${team.id}/${code}/${generation}`;
    if (!packs.has(key)) packs.set(key, `${1000 + packs.size}/${randomLetters(random, 5)}`);
    return packs.get(key)!;
  };
  const nextPerson = personFactory(random);
  const made: LicenseMaking = { random, now, packFor, date: dateFormatter() };

  const licenses: JbLicense[] = [];
  while (licenses.length < size) {
    const person = nextPerson();
    const team = pickTeam();
    const everSeen = random() < 0.88;
    const codes = licenseCodes(random, productTable);
    for (let i = 0; i < codes.length && licenses.length < size; i++) {
      const roll = random();
      const licenseTeam = random() < 0.9 ? team : pickTeam();
      let assignee: JbAssignee | undefined;
      if (roll < 0.06) assignee = undefined;
      else if (roll < 0.07) assignee = { type: 'SERVER', uid: `srv-${licenses.length}`, serverType: random() < 0.5 ? 'LICENSE_SERVER' : 'LICENSE_VAULT' };
      else if (roll < 0.075) assignee = { type: 'LICENSE_KEY', registrationName: `Build agent ${licenses.length}`, key: `KEY-${licenses.length}` };
      else {
        const email = emailAsShown(random, person.email, i > 0);
        assignee = person.name === undefined ? { type: 'USER', email } : { type: 'USER', name: person.name, email };
      }
      licenses.push(generatedLicense(products.get(codes[i]!)!, licenseTeam, assignee, everSeen, made));
    }
  }
  if ((options.order ?? 'realistic') === 'friendly') {
    licenses.forEach((license, index) => (license.licenseId = licenseIdFor(index)));
  } else {
    // Its own stream, so both orders hold the same licenses for a seed.
    const shuffling = seededRandom(seed ^ 0x5bd1e995);
    shuffle(shuffling, licenses);
    const ids = randomLicenseIds(shuffling, licenses.length);
    licenses.forEach((license, index) => (license.licenseId = ids[index]!));
  }
  return {
    customer: { code: SIM_CUSTOMER_CODE, name: 'Generated Corp' },
    teams,
    licenses,
    tokens: tokensFor(teams[0]!.id),
  };
}

/** More teams as the organisation grows: 7 at 1k, 16 at 10k, 43 at 100k, 65 at 250k. */
function generatedTeams(size: number): JbTeam[] {
  const count = Math.max(3, 3 + Math.round(Math.sqrt(size) / 8));
  return Array.from({ length: count }, (_, i) => {
    const base = TEAM_NAMES[i % TEAM_NAMES.length]!;
    const round = Math.floor(i / TEAM_NAMES.length);
    return { id: 2_500_000 + i * 1_117, name: round === 0 ? base : `${base} ${round + 1}` };
  });
}

/** The first team gets MAIN_TEAM_SHARE of the picks, team i of the others about 1 / i^1.1 of the rest. */
function skewedPicker<T>(random: () => number, items: T[]): () => T {
  const tail = items.slice(1).map((_, i) => 1 / Math.pow(i + 1, 1.1));
  const tailSum = tail.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [MAIN_TEAM_SHARE];
  for (const weight of tail) cumulative.push(cumulative[cumulative.length - 1]! + ((1 - MAIN_TEAM_SHARE) * weight) / tailSum);
  return () => {
    const roll = random();
    const index = cumulative.findIndex((edge) => roll < edge);
    return items[index === -1 ? items.length - 1 : index]!;
  };
}

/**
 * A person's products: 1 to 4 for most (repeats allowed, as seats of two teams can be), and for
 * 2% of people 6 to 12 distinct ones, so some people's licenses are spread over many pages.
 */
function licenseCodes(random: () => number, productTable: string[]): string[] {
  if (random() < 0.02) {
    const all = PRODUCTS.map((p) => p.code);
    shuffle(random, all);
    return all.slice(0, 6 + Math.floor(random() * 7));
  }
  const count = 1 + Math.floor(random() * 3.5);
  return Array.from({ length: count }, () => pick(random, productTable));
}

/** What every license of a dataset is made with. */
interface LicenseMaking {
  random: () => number;
  now: Date;
  packFor: (team: JbTeam, code: string, generation: number) => string;
  date: (instant: Date, offset: number) => string;
}

/**
 * formatWithOffset, with one string per distinct date: end and assignment dates fall on whole
 * days, so a few thousand strings serve 250k licenses (less memory, and formatting is half the time).
 */
function dateFormatter(): (instant: Date, offset: number) => string {
  const texts = new Map<number, string>();
  return (instant, offset) => {
    const key = instant.getTime() * 2048 + offset + 1024;
    let text = texts.get(key);
    if (text === undefined) {
      text = formatWithOffset(instant, offset);
      texts.set(key, text);
    }
    return text;
  };
}

function generatedLicense(
  product: JbProduct,
  team: JbTeam,
  assignee: JbAssignee | undefined,
  everSeen: boolean,
  { random, now, packFor, date }: LicenseMaking,
): JbLicense {
  const offset = pick(random, OFFSETS);
  const outdated = random() < 0.03;
  const perpetualOnly = !outdated && random() < 0.01;
  const validUntil = new Date(now.getTime() + (outdated ? -1 : 1) * (30 + Math.floor(random() * 400)) * DAY);
  validUntil.setUTCHours(0, 0, 0, 0);
  const license: JbLicense = {
    licenseId: '', // given once the order is known (see generatedDataset)
    product,
    ...(assignee ? { assignee } : {}),
    team,
    isTransferableBetweenTeams: random() < 0.95,
    isTrial: random() < 0.03,
    isSuspended: assignee !== undefined && random() < 0.02,
    isAvailableToAssign: assignee === undefined && !outdated && random() < 0.9,
  };
  if (perpetualOnly) {
    license.perpetual = { upgradeDueDate: date(validUntil, offset), isOutdated: false };
  } else {
    const stopped = random() < 0.04;
    license.subscription = {
      validUntilDate: date(validUntil, offset),
      subscriptionPackRef: stopped ? null : packFor(team, product.code, outdated ? 0 : 1),
      isAutomaticallyRenewed: !stopped,
      isOutdated: outdated,
    };
  }
  if (assignee) {
    const assigned = new Date(now.getTime() - (40 + Math.floor(random() * 900)) * DAY);
    const seen = everSeen && random() < 0.95 ? new Date(now.getTime() - Math.floor(random() * 200 * DAY)) : undefined;
    license.lastSeen = {
      // Last-seen dates are to the millisecond, all distinct: not worth keeping in the formatter.
      ...(seen ? { lastSeenDate: formatWithOffset(seen, offset) } : {}),
      lastAssignmentDate: date(assigned, offset),
      isOfflineCodeGenerated: random() < 0.01,
    };
  }
  return license;
}

/** The friendly ids: 10 uppercase alphanumerics that sort in index order (`L` + index in base 36 + a hash). */
export function licenseIdFor(index: number): string {
  const mixed = (index * 2_654_435_761) % 2_176_782_336; // Knuth's multiplicative hash into 36^6
  return ('L' + index.toString(36).toUpperCase().padStart(5, '0') + mixed.toString(36).toUpperCase().padStart(6, '0')).slice(0, 10);
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `count` distinct ids like the real ones (`N9IX2NWHK5`): 10 uppercase alphanumerics, no pattern. */
export function randomLicenseIds(random: () => number, count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) {
    let id = '';
    for (let i = 0; i < 10; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
    ids.add(id);
  }
  return [...ids];
}

function randomLetters(random: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String.fromCharCode(65 + Math.floor(random() * 26));
  return out;
}
