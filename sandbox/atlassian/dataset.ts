import type { AtlGroup, AtlOrg, AtlUserV1, AtlUserV2 } from '../../src/connectors/atlassian/atlassian.types';
import { pick, seededRandom } from '../shared/random';

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
  /** product key -> last active date (`yyyy-MM-dd`), or null when never active */
  products: Record<string, string | null>;
  groups: string[];
}

export interface SimApiKey {
  key: string;
  orgs: string[];
  scopes: string[];
}

export interface AtlassianDataset {
  orgs: AtlOrg[];
  /** users per org id */
  users: Record<string, SimAtlUser[]>;
  groups: Record<string, AtlGroup[]>;
  keys: SimApiKey[];
}

export const SIM_ATL_ORG_ID = 'a1b2c3d4-org-acme';
export const SIM_ATL_SECOND_ORG_ID = 'e5f6a7b8-org-beta';
export const SIM_ATL_KEY = 'sim-atl-org-admin-key-0123456789';
export const SIM_ATL_MULTI_ORG_KEY = 'sim-atl-multi-org-key-0123456789';
export const SIM_ATL_V1_ONLY_KEY = 'sim-atl-v1-only-key-0123456789';
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
  ];
}

const orgs = (): AtlOrg[] => [
  { id: SIM_ATL_ORG_ID, type: 'orgs', attributes: { name: 'Acme Cloud' } },
  { id: SIM_ATL_SECOND_ORG_ID, type: 'orgs', attributes: { name: 'Beta Labs' } },
];

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

/** One edge case per person: hidden email, unmanaged, suspended, closed, never active, app and customer accounts. */
function tinyDataset(now: Date): AtlassianDataset {
  const ago = (days: number) => daysAgo(now, days);
  const user = (u: Partial<SimAtlUser> & Pick<SimAtlUser, 'accountId' | 'name'>): SimAtlUser => ({
    accountType: 'atlassian',
    accountStatus: 'active',
    membershipStatus: 'active',
    claimStatus: 'managed',
    addedToOrg: '2021-03-04T10:00:00Z',
    products: {},
    groups: [],
    ...u,
  });
  const acme = [
    user({ accountId: '5b10ac8d82e05b22cc7d4ef5', name: 'Ada Lovelace', email: 'ada@acme.example', billable: true, products: { 'jira-software': ago(50), confluence: ago(75) }, groups: ['g-jira', 'g-confluence', 'g-admins'] }),
    user({ accountId: '557058:0f3c1b8e-grace', name: 'Grace Hopper', email: 'grace@acme.example', accountStatus: 'inactive', billable: false, products: { 'jira-software': ago(260) }, groups: ['g-jira'] }),
    user({ accountId: '5c2a1d33e4b0closed', name: 'Closed Account', email: 'gone@acme.example', accountStatus: 'closed', products: {} }),
    user({ accountId: '5d77hidden0email00', name: 'Hidden Email', billable: true, products: { 'jira-software': ago(20) }, groups: ['g-jira'] }),
    user({ accountId: '6011unmanaged00001', name: 'Ext Contractor', email: 'ext@partner.example', claimStatus: 'unmanaged', products: { confluence: ago(21) }, groups: ['g-confluence'] }),
    user({ accountId: '6022suspended00001', name: 'Sam Suspended', email: 'sam@acme.example', membershipStatus: 'suspended', billable: false, products: { 'jira-software': ago(300) }, groups: ['g-jira'] }),
    user({ accountId: '6033neveractive001', name: 'New Starter', email: 'new@acme.example', billable: true, products: { 'jira-software': null, bitbucket: null }, groups: ['g-jira'] }),
    user({ accountId: '6044app00000000001', name: 'Automation for Jira', accountType: 'app', products: { 'jira-software': ago(2) } }),
    user({ accountId: 'qm:6055customer0001', name: 'Portal Customer', email: 'customer@client.example', accountType: 'customer', products: { 'jira-service-desk': ago(120) } }),
  ];
  const groups: AtlGroup[] = [
    { id: 'g-jira', name: 'jira-software-users', description: 'Jira access' },
    { id: 'g-confluence', name: 'confluence-users' },
    { id: 'g-admins', name: 'site-admins' },
    { id: 'g-empty', name: 'empty-group' },
  ];
  return {
    orgs: orgs(),
    users: { [SIM_ATL_ORG_ID]: acme, [SIM_ATL_SECOND_ORG_ID]: [acme[0]!] },
    groups: { [SIM_ATL_ORG_ID]: groups, [SIM_ATL_SECOND_ORG_ID]: [] },
    keys: keys(),
  };
}

function generatedDataset(size: number): AtlassianDataset {
  const random = seededRandom(size * 31 + 7);
  const productKeys = Object.keys(PRODUCT_NAMES);
  const groups: AtlGroup[] = productKeys.map((key, i) => ({ id: `g-${i}`, name: `${key}-users` }));
  const today = Date.now();
  const users: SimAtlUser[] = [];
  for (let i = 0; i < size; i++) {
    const products: Record<string, string | null> = {};
    const count = 1 + Math.floor(random() * 3);
    for (let p = 0; p < count; p++) {
      const key = pick(random, productKeys);
      products[key] = random() < 0.1 ? null : new Date(today - Math.floor(random() * 200) * 86_400_000).toISOString().slice(0, 10);
    }
    const unmanaged = random() < 0.1;
    users.push({
      accountId: `5f${i.toString(16).padStart(10, '0')}${Math.floor(random() * 1e6).toString(16)}`,
      accountType: random() < 0.02 ? 'app' : 'atlassian',
      accountStatus: random() < 0.05 ? 'inactive' : 'active',
      membershipStatus: random() < 0.03 ? 'suspended' : 'active',
      claimStatus: unmanaged ? 'unmanaged' : 'managed',
      name: `User ${i}`,
      ...(random() < 0.05 ? {} : { email: `user${i}@${unmanaged ? 'gmail.example' : 'corp.example'}` }),
      billable: !unmanaged && random() < 0.9,
      addedToOrg: '2022-01-01T00:00:00Z',
      products,
      groups: Object.keys(products).map((key) => `g-${productKeys.indexOf(key)}`),
    });
  }
  return { orgs: orgs(), users: { [SIM_ATL_ORG_ID]: users, [SIM_ATL_SECOND_ORG_ID]: [] }, groups: { [SIM_ATL_ORG_ID]: groups, [SIM_ATL_SECOND_ORG_ID]: [] }, keys: keys() };
}

/** v1 shape: snake_case, managed accounts only, `email` absent when hidden. */
export function toV1(user: SimAtlUser): AtlUserV1 {
  return {
    account_id: user.accountId,
    account_type: user.accountType,
    account_status: user.accountStatus,
    name: user.name,
    picture: `https://avatar.example/${encodeURIComponent(user.accountId)}.png`,
    ...(user.email ? { email: user.email } : {}),
    ...(user.billable !== undefined ? { access_billable: user.billable } : {}),
    ...(lastOf(user) ? { last_active: lastOf(user)! } : {}),
    product_access: Object.entries(user.products).map(([key, last]) => ({
      key,
      name: PRODUCT_NAMES[key] ?? key,
      url: 'acme.atlassian.net',
      ...(last ? { last_active: last } : {}),
    })),
    links: { self: `https://api.atlassian.com/users/${encodeURIComponent(user.accountId)}/manage/profile` },
  };
}

/** v2 shape: camelCase; productAccess and groups only when expanded. */
export function toV2(user: SimAtlUser, expand: Set<string>, groups: AtlGroup[]): AtlUserV2 {
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
          productAccess: Object.entries(user.products).map(([key, last]) => ({
            key,
            id: `${key}-instance-1`,
            ...(last ? { lastActiveTimestamp: `${last}T08:15:00Z` } : {}),
          })),
        }
      : {}),
    ...(expand.has('groups')
      ? { groups: user.groups.map((id) => groups.find((g) => g.id === id)).filter((g): g is AtlGroup => !!g).map((g) => ({ id: g.id, name: g.name })) }
      : {}),
  };
}

function lastOf(user: SimAtlUser): string | null {
  return Object.values(user.products).reduce<string | null>((max, d) => (d && (!max || d > max) ? d : max), null);
}
