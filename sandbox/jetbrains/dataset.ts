import type { JbAssignee, JbLicense, JbTeam } from '../../src/connectors/jetbrains/jetbrains.types';
import { pick, seededRandom } from '../shared/random';
import { formatWithOffset, OFFSETS } from './dates';
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

export type DatasetName = 'tiny' | 'small' | '1k' | '10k' | '40k' | '100k';

export function buildDataset(name: DatasetName | string, now = new Date()): JetbrainsDataset {
  if (name === 'tiny') return tinyDataset(now);
  const sizes: Record<string, number> = { small: 250, '1k': 1_000, '10k': 10_000, '40k': 40_000, '100k': 100_000 };
  const size = sizes[name] ?? Number(name);
  if (!Number.isInteger(size) || size < 1) throw new Error(`unknown dataset "${name}" (tiny, small, 1k, 10k, 40k, 100k or a number)`);
  return generatedDataset(size, now);
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

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Donald', 'Frances', 'John', 'Radia', 'Tim', 'Sophie', 'Linus', 'Anita', 'Niklaus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton', 'Knuth', 'Allen', 'Backus', 'Perlman', 'Berners-Lee', 'Wilson', 'Torvalds', 'Borg', 'Wirth'];
const TEAM_NAMES = ['Backend', 'Frontend', 'Data', 'Mobile', 'Platform', 'Security', 'QA', 'Design', 'Infra', 'ML', 'Payments', 'Search', 'Growth', 'Support', 'Contractors', 'Research'];
const PRODUCT_WEIGHTS: [string, number][] = [['II', 30], ['WS', 14], ['PC', 12], ['GO', 8], ['DB', 9], ['CL', 5], ['PS', 5], ['RM', 3], ['RD', 5], ['RR', 2], ['DS', 2], ['ALL', 4], ['AIP', 6]];

/**
 * A large organisation: about 2.5 licenses per person (100k licenses ~ 40k people), with the same
 * edge cases as the tiny set at realistic rates. Deterministic for a given size.
 */
function generatedDataset(size: number, now: Date): JetbrainsDataset {
  const random = seededRandom(size * 7919 + 17);
  const teamCount = Math.min(TEAM_NAMES.length, Math.max(2, Math.ceil(size / 5000) + 3));
  const teams: JbTeam[] = TEAM_NAMES.slice(0, teamCount).map((name, i) => ({ id: 2_500_000 + i * 1_117, name }));
  const productTable = PRODUCT_WEIGHTS.flatMap(([code, weight]) => Array<string>(weight).fill(code));
  const packs = new Map<string, string>();
  const packFor = (team: JbTeam, code: string, generation: number): string => {
    const key = `${team.id}/${code}/${generation}`;
    if (!packs.has(key)) packs.set(key, `${1000 + packs.size}/${randomLetters(random, 5)}`);
    return packs.get(key)!;
  };

  const licenses: JbLicense[] = [];
  let person = 0;
  while (licenses.length < size) {
    person += 1;
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    const email = `${first}.${last}.${person}@corp.example`.toLowerCase();
    const nameless = random() < 0.02;
    const team = pick(random, teams);
    // 1 to 4 licenses, about 2.3 on average: 100k licenses hold about 40k people.
    const licenseCount = 1 + Math.floor(random() * 3.5);
    const everSeen = random() < 0.88;
    for (let i = 0; i < licenseCount && licenses.length < size; i++) {
      const roll = random();
      const productCode = pick(random, productTable);
      const licenseTeam = random() < 0.9 ? team : pick(random, teams);
      let assignee: JbAssignee | undefined;
      if (roll < 0.06) assignee = undefined;
      else if (roll < 0.07) assignee = { type: 'SERVER', uid: `srv-${licenses.length}`, serverType: random() < 0.5 ? 'LICENSE_SERVER' : 'LICENSE_VAULT' };
      else if (roll < 0.075) assignee = { type: 'LICENSE_KEY', registrationName: `Build agent ${licenses.length}`, key: `KEY-${licenses.length}` };
      else {
        // Some people appear with their address in another letter case on a second license.
        const shown = i > 0 && random() < 0.15 ? email.replace(/^./, (c) => c.toUpperCase()).replace('@corp', '@Corp') : email;
        assignee = nameless ? { type: 'USER', email: shown } : { type: 'USER', name: `${capital(first)} ${capital(last)}`, email: shown };
      }
      licenses.push(
        generatedLicense(licenses.length, productCode, licenseTeam, assignee, everSeen, random, now, packFor),
      );
    }
  }
  return {
    customer: { code: SIM_CUSTOMER_CODE, name: 'Generated Corp' },
    teams,
    licenses,
    tokens: tokensFor(teams[0]!.id),
  };
}

function generatedLicense(
  index: number,
  productCode: string,
  team: JbTeam,
  assignee: JbAssignee | undefined,
  everSeen: boolean,
  random: () => number,
  now: Date,
  packFor: (team: JbTeam, code: string, generation: number) => string,
): JbLicense {
  const offset = pick(random, OFFSETS);
  const outdated = random() < 0.03;
  const perpetualOnly = !outdated && random() < 0.01;
  const validUntil = new Date(now.getTime() + (outdated ? -1 : 1) * (30 + Math.floor(random() * 400)) * DAY);
  validUntil.setUTCHours(0, 0, 0, 0);
  const product = PRODUCTS.find((p) => p.code === productCode)!;
  const license: JbLicense = {
    licenseId: licenseIdFor(index),
    product: { ...product },
    ...(assignee ? { assignee } : {}),
    team: { ...team },
    isTransferableBetweenTeams: random() < 0.95,
    isTrial: random() < 0.03,
    isSuspended: assignee !== undefined && random() < 0.02,
    isAvailableToAssign: assignee === undefined && !outdated && random() < 0.9,
  };
  if (perpetualOnly) {
    license.perpetual = { upgradeDueDate: formatWithOffset(validUntil, offset), isOutdated: false };
  } else {
    const stopped = random() < 0.04;
    license.subscription = {
      validUntilDate: formatWithOffset(validUntil, offset),
      subscriptionPackRef: stopped ? null : packFor(team, productCode, outdated ? 0 : 1),
      isAutomaticallyRenewed: !stopped,
      isOutdated: outdated,
    };
  }
  if (assignee) {
    const assigned = new Date(now.getTime() - (40 + Math.floor(random() * 900)) * DAY);
    const seen = everSeen && random() < 0.95 ? new Date(now.getTime() - Math.floor(random() * 200 * DAY)) : undefined;
    license.lastSeen = {
      ...(seen ? { lastSeenDate: formatWithOffset(seen, offset) } : {}),
      lastAssignmentDate: formatWithOffset(assigned, offset),
      isOfflineCodeGenerated: random() < 0.01,
    };
  }
  return license;
}

/** 10 uppercase alphanumerics, unique per index, like `N9IX2NWHK5`. */
export function licenseIdFor(index: number): string {
  const mixed = (index * 2_654_435_761) % 2_176_782_336; // Knuth's multiplicative hash into 36^6
  return ('L' + index.toString(36).toUpperCase().padStart(5, '0') + mixed.toString(36).toUpperCase().padStart(6, '0')).slice(0, 10);
}

function randomLetters(random: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String.fromCharCode(65 + Math.floor(random() * 26));
  return out;
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
