import type { AtlGroup, AtlOrg, AtlUserV1, AtlUserV2 } from '../../src/connectors/atlassian/atlassian.types';
import { pick, seededRandom } from '../shared/random';
import { emailFor, personName } from './names';

/** One product a person can use, on one site of the organization. */
export interface SimProductAccess {
  key: string;
  /** Index into the org's sites. */
  site: number;
  /** Last active date (`yyyy-MM-dd`), or null when never active. */
  lastActive: string | null;
}

/** One site (an Atlassian cloud instance) of an organization. */
export interface SimSite {
  /** As the API writes it in v1 `product_access[].url`; the format is not pinned (reference §3.3) [I]. */
  url: string;
  /** The instance id v2 `productAccess[].id` carries for this site's products. */
  cloudId: string;
}

/** One person as the simulator keeps them; the API renders v1 and v2 shapes from it. */
export interface SimAtlUser {
  accountId: string;
  accountType: 'atlassian' | 'customer' | 'app';
  accountStatus: 'active' | 'inactive' | 'closed';
  membershipStatus: 'active' | 'suspended' | 'no_membership';
  claimStatus: 'managed' | 'unmanaged';
  name: string;
  email?: string;
  billable?: boolean;
  addedToOrg: string;
  products: SimProductAccess[];
  groups: string[];
}

/**
 * Which parts of the v2 API an organization's surface has: some organizations answer 404 (or 405,
 * 501) on the v2 user search, or on all of v2, because their API surface does not have it.
 */
export type SimSurface = 'full' | 'no-v2-search' | 'no-v2';

export interface SimApiKey {
  key: string;
  orgs: string[];
  scopes: string[];
  /** Overrides the organization's surface for calls made with this key (a test switch). */
  surface?: SimSurface;
}

export interface AtlassianDataset {
  orgs: AtlOrg[];
  /** users per org id, in the upstream's own order (not id order) */
  users: Record<string, SimAtlUser[]>;
  groups: Record<string, AtlGroup[]>;
  sites: Record<string, SimSite[]>;
  keys: SimApiKey[];
  /** Seeds the cursor tokens, so a run hands out the same cursors again. */
  seed: number;
}

export const SIM_ATL_ORG_ID = 'a1b2c3d4-org-acme';
export const SIM_ATL_SECOND_ORG_ID = 'e5f6a7b8-org-beta';
export const SIM_ATL_KEY = 'sim-atl-org-admin-key-0123456789';
export const SIM_ATL_MULTI_ORG_KEY = 'sim-atl-multi-org-key-0123456789';
export const SIM_ATL_V1_ONLY_KEY = 'sim-atl-v1-only-key-0123456789';
/** All scopes, but calls answer as for an organization whose surface lacks the v2 user search. */
export const SIM_ATL_NO_SEARCH_KEY = 'sim-atl-no-v2-search-key-0123456789';
/** All scopes, but calls answer as for an organization whose surface lacks v2 entirely. */
export const SIM_ATL_NO_V2_KEY = 'sim-atl-no-v2-key-0123456789';
/** Looks like a user API token (the `ATATT` prefix), which the Admin API refuses. */
export const SIM_ATL_SITE_TOKEN = 'ATATT3xFfGF0simulatedSiteToken0123456789';

export const ALL_SCOPES = ['read:orgs:admin', 'read:accounts:admin', 'read:directories:admin', 'read:groups:admin'];

export const PRODUCT_NAMES: Record<string, string> = {
  'jira-software': 'Jira',
  'jira-service-desk': 'Jira Service Management',
  confluence: 'Confluence',
  bitbucket: 'Bitbucket',
  opsgenie: 'Opsgenie',
  trello: 'Trello',
};

function keys(): SimApiKey[] {
  return [
    { key: SIM_ATL_KEY, orgs: [SIM_ATL_ORG_ID], scopes: ALL_SCOPES },
    { key: SIM_ATL_MULTI_ORG_KEY, orgs: [SIM_ATL_ORG_ID, SIM_ATL_SECOND_ORG_ID], scopes: ALL_SCOPES },
    { key: SIM_ATL_V1_ONLY_KEY, orgs: [SIM_ATL_ORG_ID], scopes: ['read:orgs:admin', 'read:accounts:admin'] },
    { key: SIM_ATL_NO_SEARCH_KEY, orgs: [SIM_ATL_ORG_ID], scopes: ALL_SCOPES, surface: 'no-v2-search' },
    { key: SIM_ATL_NO_V2_KEY, orgs: [SIM_ATL_ORG_ID], scopes: ALL_SCOPES, surface: 'no-v2' },
  ];
}

const orgs = (): AtlOrg[] => [
  { id: SIM_ATL_ORG_ID, type: 'orgs', attributes: { name: 'Acme Cloud' } },
  { id: SIM_ATL_SECOND_ORG_ID, type: 'orgs', attributes: { name: 'Beta Labs' } },
];

/**
 * Acme has two sites, written in the two plausible forms (bare host, and https URL) so a client's
 * comparison of sites is exercised; Beta has one.
 */
export const ACME_SITES: SimSite[] = [
  { url: 'acme.atlassian.net', cloudId: '0f1e2d3c-4b5a-6978-8a9b-acme00000001' },
  { url: 'https://acme-labs.atlassian.net', cloudId: '9a8b7c6d-5e4f-4a3b-9c2d-acme00000002' },
];
const BETA_SITES: SimSite[] = [{ url: 'beta-labs.atlassian.net', cloudId: '1c2d3e4f-5a6b-4c7d-8e9f-beta00000001' }];

/** `yyyy-MM-dd` of `days` before `now`: datasets keep their 30/90-day activity windows whatever today is. */
export function daysAgo(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export function buildAtlassianDataset(name: string, now = new Date()): AtlassianDataset {
  if (name === 'tiny') return tinyDataset(now);
  const sizes: Record<string, number> = { small: 200, '1k': 1000, '10k': 10_000, '40k': 40_000 };
  const size = sizes[name] ?? Number(name);
  if (!Number.isInteger(size) || size < 1) throw new Error(`unknown dataset "${name}" (tiny, small, 1k, 10k, 40k or a number)`);
  return generatedDataset(size);
}

/**
 * One edge case per person: hidden email, unmanaged, suspended, closed, never active, app and
 * customer accounts, names with accents and apostrophes, a single and an empty name, a person with
 * many products on both sites. Listed in the upstream's order, which is not id order.
 */
function tinyDataset(now: Date): AtlassianDataset {
  const ago = (days: number) => daysAgo(now, days);
  /** Product `key` on site `site` (0 = acme.atlassian.net, 1 = acme-labs), last active `days` ago. */
  const p = (key: string, days: number | null, site = 0): SimProductAccess => ({ key, site, lastActive: days === null ? null : ago(days) });
  const user = (u: Partial<SimAtlUser> & Pick<SimAtlUser, 'accountId' | 'name'>): SimAtlUser => ({
    accountType: 'atlassian',
    accountStatus: 'active',
    membershipStatus: 'active',
    claimStatus: 'managed',
    addedToOrg: '2021-03-04T10:00:00Z',
    products: [],
    groups: [],
    ...u,
  });
  const acme = [
    user({ accountId: '5b10ac8d82e05b22cc7d4ef5', name: 'Ada Lovelace', email: 'ada@acme.example', billable: true, products: [p('jira-software', 50), p('confluence', 75)], groups: ['g-jira', 'g-confluence', 'g-admins'] }),
    user({ accountId: '557058:0f3c1b8e-grace', name: 'Grace Hopper', email: 'grace@acme.example', accountStatus: 'inactive', billable: false, products: [p('jira-software', 260)], groups: ['g-jira'] }),
    user({
      accountId: '712020:b4e2d1f0-zoe',
      name: 'Zoë Ångström-Núñez',
      email: 'zoe.angstrom@acme.example',
      billable: true,
      products: [p('jira-software', 3), p('jira-software', 40, 1), p('confluence', 10), p('jira-service-desk', 95, 1), p('bitbucket', null), p('opsgenie', 1, 1), p('trello', 200)],
      groups: ['g-jira', 'g-confluence'],
    }),
    user({ accountId: '5c2a1d33e4b0closed', name: 'Closed Account', email: 'gone@acme.example', accountStatus: 'closed' }),
    user({ accountId: '5d77hidden0email00', name: 'Hidden Email', billable: true, products: [p('jira-software', 20)], groups: ['g-jira'] }),
    user({ accountId: '4f00b1e5sean000001', name: "Seán O'Brien-D'Arcy", email: 'sean.obrien@acme.example', billable: true, products: [p('confluence', 5, 1)], groups: ['g-confluence'] }),
    user({ accountId: '6011unmanaged00001', name: 'Ext Contractor', email: 'ext@partner.example', claimStatus: 'unmanaged', products: [p('confluence', 21)], groups: ['g-confluence'] }),
    user({ accountId: '6022suspended00001', name: 'Sam Suspended', email: 'sam@acme.example', membershipStatus: 'suspended', billable: false, products: [p('jira-software', 300)], groups: ['g-jira'] }),
    user({ accountId: '5a00single0name001', name: 'Cher', email: 'cher@acme.example', billable: false, products: [p('jira-software', 31)] }),
    user({ accountId: '6033neveractive001', name: 'New Starter', email: 'new@acme.example', billable: true, products: [p('jira-software', null), p('bitbucket', null)], groups: ['g-jira'] }),
    user({ accountId: '3e00empty0name0001', name: '', email: 'nobody@acme.example', billable: false }),
    user({ accountId: '6044app00000000001', name: 'Automation for Jira', accountType: 'app', products: [p('jira-software', 2)] }),
    user({ accountId: '557058:f58131cb-slack', name: 'Slack', accountType: 'app', products: [p('confluence', 0, 1)] }),
    user({ accountId: 'qm:6055customer0001', name: 'Portal Customer', email: 'customer@client.example', accountType: 'customer', products: [p('jira-service-desk', 120)] }),
    user({ accountId: 'qm:7f1c2b3a-emilie', name: 'Émilie Dubois', email: 'emilie@client.example', accountType: 'customer', products: [p('jira-service-desk', 7, 1)] }),
    user({ accountId: '70aa0unmanaged0hid', name: 'Priya N.', claimStatus: 'unmanaged', products: [p('confluence', 12, 1)], groups: ['g-confluence'] }),
  ];
  const groups: AtlGroup[] = [
    { id: 'g-jira', name: 'jira-software-users', description: 'Jira access' },
    { id: 'g-confluence', name: 'confluence-users' },
    { id: 'g-admins', name: 'site-admins' },
    { id: 'g-empty', name: 'empty-group' },
  ];
  return {
    orgs: orgs(),
    users: { [SIM_ATL_ORG_ID]: acme, [SIM_ATL_SECOND_ORG_ID]: [{ ...acme[0]!, products: [p('confluence', 5)], groups: [] }] },
    groups: { [SIM_ATL_ORG_ID]: groups, [SIM_ATL_SECOND_ORG_ID]: [] },
    sites: { [SIM_ATL_ORG_ID]: ACME_SITES, [SIM_ATL_SECOND_ORG_ID]: BETA_SITES },
    keys: keys(),
    seed: 20_211,
  };
}

/** Generated sets: random ids in no order, all account types, hidden emails, up to six products on two sites. */
function generatedDataset(size: number): AtlassianDataset {
  const random = seededRandom(size * 31 + 7);
  const productKeys = Object.keys(PRODUCT_NAMES);
  const groups: AtlGroup[] = productKeys.map((key, i) => ({ id: `g-${i}`, name: `${key}-users` }));
  const today = Date.now();
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}`;
  const ids = new Set<string>();
  const users: SimAtlUser[] = [];
  for (let i = 0; i < size; i++) {
    const roll = random();
    const accountType: SimAtlUser['accountType'] = roll < 0.02 ? 'app' : roll < 0.05 ? 'customer' : 'atlassian';
    let accountId: string;
    do accountId = accountType === 'app' ? `557058:${uuid()}` : accountType === 'customer' ? `qm:${uuid()}` : random() < 0.3 ? `712020:${uuid()}` : hex(24);
    while (ids.has(accountId));
    ids.add(accountId);
    const products: SimProductAccess[] = [];
    const count = 1 + Math.floor(random() * random() * 6);
    for (let n = 0; n < count; n++) {
      const key = pick(random, productKeys);
      const site = random() < 0.7 ? 0 : 1;
      if (products.some((a) => a.key === key && a.site === site)) continue;
      products.push({ key, site, lastActive: random() < 0.1 ? null : new Date(today - Math.floor(random() * 200) * 86_400_000).toISOString().slice(0, 10) });
    }
    const unmanaged = accountType === 'app' ? false : random() < (accountType === 'customer' ? 0.5 : 0.1);
    const name = accountType === 'app' ? pick(random, ['Automation for Jira', 'Slack', 'GitHub for Jira', 'Zapier', 'Opsgenie Integration']) : personName(random);
    const hidden = accountType === 'app' || random() < (unmanaged ? 0.4 : 0.05);
    users.push({
      accountId,
      accountType,
      accountStatus: random() < 0.05 ? 'inactive' : 'active',
      membershipStatus: random() < 0.03 ? 'suspended' : 'active',
      claimStatus: unmanaged ? 'unmanaged' : 'managed',
      name,
      ...(hidden ? {} : { email: emailFor(name, i, accountType === 'customer' ? 'client.example' : unmanaged ? 'gmail.example' : 'corp.example') }),
      billable: !unmanaged && accountType === 'atlassian' && random() < 0.9,
      addedToOrg: '2022-01-01T00:00:00Z',
      products,
      groups: [...new Set(products.map((a) => `g-${productKeys.indexOf(a.key)}`))],
    });
  }
  const sites: SimSite[] = [
    { url: 'corp.atlassian.net', cloudId: '2b3c4d5e-6f70-4812-9a3b-c0rp00000001' },
    { url: 'https://corp-eng.atlassian.net', cloudId: '3c4d5e6f-7081-4923-8b4c-c0rp00000002' },
  ];
  return {
    orgs: orgs(),
    users: { [SIM_ATL_ORG_ID]: users, [SIM_ATL_SECOND_ORG_ID]: [] },
    groups: { [SIM_ATL_ORG_ID]: groups, [SIM_ATL_SECOND_ORG_ID]: [] },
    sites: { [SIM_ATL_ORG_ID]: sites, [SIM_ATL_SECOND_ORG_ID]: BETA_SITES },
    keys: keys(),
    seed: size,
  };
}

/** v1 shape: snake_case, managed accounts only, `email` absent when hidden, each product with its site's url. */
export function toV1(user: SimAtlUser, sites: SimSite[]): AtlUserV1 {
  const last = lastOf(user);
  return {
    account_id: user.accountId,
    account_type: user.accountType,
    account_status: user.accountStatus,
    name: user.name,
    picture: `https://avatar.example/${encodeURIComponent(user.accountId)}.png`,
    ...(user.email ? { email: user.email } : {}),
    ...(user.billable !== undefined ? { access_billable: user.billable } : {}),
    ...(last ? { last_active: last } : {}),
    product_access: user.products.map((a) => ({
      key: a.key,
      name: PRODUCT_NAMES[a.key] ?? a.key,
      url: sites[a.site]!.url,
      ...(a.lastActive ? { last_active: a.lastActive } : {}),
    })),
    links: { self: `https://api.atlassian.com/users/${encodeURIComponent(user.accountId)}/manage/profile` },
  };
}

/** v2 shape: camelCase; productAccess (instance id, no url) and groups only when expanded. */
export function toV2(user: SimAtlUser, expand: Set<string>, groups: AtlGroup[], sites: SimSite[]): AtlUserV2 {
  const status =
    user.accountStatus === 'closed' ? 'for_deletion' : user.accountStatus === 'inactive' ? 'deactivated' : user.membershipStatus === 'suspended' ? 'suspended' : user.membershipStatus === 'no_membership' ? 'not_invited' : 'active';
  return {
    accountId: user.accountId,
    accountType: user.accountType,
    status,
    accountStatus: user.accountStatus,
    membershipStatus: user.membershipStatus,
    addedToOrg: user.addedToOrg,
    name: user.name,
    ...(user.email ? { email: user.email, emailVerified: true } : {}),
    claimStatus: user.claimStatus,
    ...(expand.has('productAccess')
      ? {
          productAccess: user.products.map((a) => ({
            key: a.key,
            id: sites[a.site]!.cloudId,
            ...(a.lastActive ? { lastActiveTimestamp: `${a.lastActive}T08:15:00Z` } : {}),
          })),
        }
      : {}),
    ...(expand.has('groups')
      ? { groups: user.groups.map((id) => groups.find((g) => g.id === id)).filter((g): g is AtlGroup => !!g).map((g) => ({ id: g.id, name: g.name })) }
      : {}),
  };
}

function lastOf(user: SimAtlUser): string | null {
  return user.products.reduce<string | null>((max, a) => (a.lastActive && (!max || a.lastActive > max) ? a.lastActive : max), null);
}
