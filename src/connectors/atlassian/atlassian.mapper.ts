import { compareIds, emptyPlan, latestDate, toUtc } from '../../connector-kit';
import type { UnifiedGroup, UnifiedLicensePlan, UnifiedRef, UnifiedUser, UnifiedUserLicense } from '../../connector-kit';
import { instanceKey, placeInstances, siteReader } from './atlassian.sites';
import type { AtlGroup, AtlUserV1, AtlUserV2 } from './atlassian.types';

export const INTEGRATION = 'atlassian';
const DAY = 86_400_000;

/** Names for product keys the v2 shape carries without a name. */
const PRODUCT_NAMES: Record<string, string> = {
  'jira-software': 'Jira',
  'jira-core': 'Jira Work Management',
  'jira-service-desk': 'Jira Service Management',
  'jira-ops': 'Jira Ops',
  confluence: 'Confluence',
  bitbucket: 'Bitbucket',
  trello: 'Trello',
  opsgenie: 'Opsgenie',
  statuspage: 'Statuspage',
};

/**
 * The person's status: v2's richer status when the directory API is available (suspended,
 * deactivated, for_deletion), else v1's account_status; closed accounts are `deleted`.
 */
export function userStatus(v1: AtlUserV1 | undefined, v2: AtlUserV2 | undefined): string {
  switch (v2?.status) {
    case 'active':
      return 'active';
    case 'suspended':
      return 'suspended';
    case 'deactivated':
    case 'not_invited':
      return 'inactive';
    case 'for_deletion':
      return 'deleted';
  }
  switch (v1?.account_status ?? v2?.accountStatus) {
    case 'active':
      return 'active';
    case 'inactive':
      return 'inactive';
    case 'closed':
      return 'deleted';
    default:
      return v1?.account_status ?? v2?.status ?? 'inactive';
  }
}

/** What the account's set-up says about reading this organization (Viio's set-up fields). */
export interface MappingOptions {
  /** Normalised site (`https://acme.atlassian.net`): only product access on it counts. Null: every site. */
  site?: string | null;
  /**
   * Whether Atlassian Guard is enabled. `access_billable` is Guard's billable status, so without
   * Guard (false) it says nothing and is_billable is null; unknown (null) keeps the flag as sent.
   */
  guard?: boolean | null;
}

/**
 * v1 (managed accounts, billable flag, product names) and v2 (every account, status, groups) merged
 * per account_id, the key that is always there (email can be hidden). Sorted by id.
 */
export function mapUsers(v1Users: AtlUserV1[], v2Users: AtlUserV2[], options: MappingOptions = {}): UnifiedUser[] {
  const { site = null, guard = null } = options;
  // v2 entries carry an instance id, not a url: their site is learnt from people in both lists.
  const siteOf = siteReader();
  const placed = site ? placeInstances(v1Users, v2Users, siteOf) : null;
  const v1ById = new Map(v1Users.map((u) => [u.account_id, u]));
  const v2ById = new Map(v2Users.map((u) => [u.accountId, u]));
  const ids = new Set([...v1ById.keys(), ...v2ById.keys()]);
  const users: UnifiedUser[] = [];
  for (const id of ids) {
    const v1 = v1ById.get(id);
    const v2 = v2ById.get(id);
    const status = userStatus(v1, v2);
    // One license per product key: a product on several sites keeps its latest activity.
    const products = new Map<string, UnifiedUserLicense>();
    const add = (key: string, name: string | undefined, lastActive: string | undefined) => {
      const known = products.get(key);
      const last = latestDate([known?.last_active_at ?? null, toUtc(lastActive)]);
      products.set(key, license(key, known?.name ?? name ?? PRODUCT_NAMES[key] ?? key, status, last));
    };
    for (const access of v1?.product_access ?? []) {
      if (site === null || siteOf(access.url) === site) add(access.key, access.name, access.last_active);
    }
    for (const access of v2?.productAccess ?? []) {
      if (!placed || placed.get(instanceKey(access.key, access.id)) === site) add(access.key, undefined, access.lastActiveTimestamp);
    }
    const licenses = [...products.values()].sort((a, b) => compareIds(a.id, b.id));
    const email = (v1?.email ?? v2?.email)?.trim().toLowerCase() || null;
    const name = (v1?.name ?? v2?.name)?.trim() || null;
    const groups: UnifiedRef[] = (v2?.groups ?? []).map((g) => ({ id: g.id, name: g.name ?? null })).sort((a, b) => compareIds(a.id, b.id));
    users.push({
      id,
      remote_id: id,
      email,
      emails: email ? [{ email, type: 'work', is_primary: true }] : [],
      name,
      first_name: null,
      last_name: null,
      status,
      licenses,
      groups,
      last_active_at: latestDate([toUtc(v1?.last_active), ...licenses.map((l) => l.last_active_at)]),
      integration: INTEGRATION,
      account_type: v1?.account_type ?? v2?.accountType ?? null,
      is_billable: guard === false ? null : (v1?.access_billable ?? null),
      remote_data: { ...(v1 ? { v1 } : {}), ...(v2 ? { v2 } : {}) },
    });
  }
  return users.sort((a, b) => compareIds(a.id, b.id));
}

function license(key: string, name: string, userStatus: string, lastActive: string | null): UnifiedUserLicense {
  return {
    id: key,
    product_code: key,
    product_name: name,
    name,
    status: userStatus === 'active' ? 'active' : 'suspended',
    is_trial: false,
    team: null,
    subscription_pack: null,
    valid_until: null,
    assigned_at: null,
    last_active_at: lastActive,
  };
}

/** Groups with member counts: the upstream's count, else counted from the users' groups. */
export function mapGroups(groups: AtlGroup[], users: UnifiedUser[]): UnifiedGroup[] {
  const counted = new Map<string, number>();
  for (const user of users) for (const g of user.groups) counted.set(g.id, (counted.get(g.id) ?? 0) + 1);
  return groups
    .map((g) => ({ id: g.id, name: g.name ?? null, member_count: g.counts?.members ?? counted.get(g.id) ?? 0, integration: INTEGRATION, remote_data: g }))
    .sort((a, b) => compareIds(a.id, b.id));
}

/**
 * The seats picture per product: who has access, how many are not active accounts, and how many
 * were active in the last 30 and 90 days (measured at `now`, the sync time).
 */
export function mapLicensePlans(users: UnifiedUser[], now: number): UnifiedLicensePlan[] {
  const plans = new Map<string, UnifiedLicensePlan>();
  for (const user of users) {
    for (const access of user.licenses) {
      let plan = plans.get(access.product_code);
      if (!plan) {
        plan = {
          ...emptyPlan({ id: access.product_code, product_code: access.product_code, name: access.product_name ?? access.name, team: null, subscription_pack: null, integration: INTEGRATION }),
          // The Admin API has no purchased-seat figure: unknown, not a copy of assigned.
          total: null,
          available: null,
          unavailable: null,
          active_last_30_days: 0,
          active_last_90_days: 0,
        };
        plans.set(access.product_code, plan);
      }
      plan.assigned += 1;
      if (user.status !== 'active') plan.suspended += 1;
      const last = access.last_active_at ? Date.parse(access.last_active_at) : null;
      if (last !== null && now - last <= 30 * DAY) plan.active_last_30_days! += 1;
      if (last !== null && now - last <= 90 * DAY) plan.active_last_90_days! += 1;
    }
  }
  return [...plans.values()].sort((a, b) => compareIds(a.id, b.id));
}

