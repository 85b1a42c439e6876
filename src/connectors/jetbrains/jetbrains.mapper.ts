import { compareIds, latestDate, toUtc } from '../../hub/mapping-helpers';
import type { UnifiedGroup, UnifiedLicensePlan, UnifiedRef, UnifiedUser, UnifiedUserLicense } from '../../hub/unified.types';
import type { JbLicense, JbTeam } from './jetbrains.types';

export const INTEGRATION = 'jetbrains';

export interface MapOptions {
  /** Keep licenses whose subscription is outdated (left out by default, as Viio does). */
  includeOutdated?: boolean;
}

type UserLicense = JbLicense & { assignee: { type: 'USER'; email: string; name?: string | null } };

export function isOutdated(license: JbLicense): boolean {
  return license.subscription?.isOutdated === true;
}

function isUserLicense(license: JbLicense): license is UserLicense {
  return license.assignee?.type === 'USER' && typeof license.assignee.email === 'string' && license.assignee.email.trim() !== '';
}

function keep(license: JbLicense, options: MapOptions): boolean {
  return options.includeOutdated === true || !isOutdated(license);
}

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** First and last name only when the full name splits unambiguously into exactly two words. */
export function splitName(name: string | null): { first_name: string | null; last_name: string | null } {
  const words = name?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (words.length !== 2 || name!.includes(',')) return { first_name: null, last_name: null };
  return { first_name: words[0]!, last_name: words[1]! };
}

function teamRef(team: JbTeam | undefined): UnifiedRef | null {
  return team ? { id: String(team.id), name: team.name ?? null } : null;
}

function licenseStatus(license: JbLicense): UnifiedUserLicense['status'] {
  if (license.isSuspended) return 'suspended';
  if (isOutdated(license)) return 'outdated';
  return 'active';
}

function userLicense(license: UserLicense): UnifiedUserLicense {
  return {
    id: license.licenseId,
    product_code: license.product?.code ?? 'unknown',
    name: license.product?.name ?? null,
    status: licenseStatus(license),
    is_trial: license.isTrial === true,
    team: teamRef(license.team),
    subscription_pack: license.subscription?.subscriptionPackRef ?? null,
    valid_until: toUtc(license.subscription?.validUntilDate),
    assigned_at: toUtc(license.lastSeen?.lastAssignmentDate),
    last_active_at: toUtc(license.lastSeen?.lastSeenDate),
  };
}

/**
 * Licenses -> people. Only USER assignees are people; addresses differing in letter case are one
 * person; a person is active when any of their licenses is; groups are their licenses' teams.
 * Result sorted by id (the lowercased email).
 */
export function mapUsers(licenses: JbLicense[], options: MapOptions = {}): UnifiedUser[] {
  const views = mapUserViews(licenses);
  return options.includeOutdated ? views.withOutdated : views.current;
}

/**
 * Both views in one pass: without and with outdated licenses. A person without outdated licenses
 * is the same object in both, so callers can tell unchanged records by identity.
 */
export function mapUserViews(licenses: JbLicense[]): { current: UnifiedUser[]; withOutdated: UnifiedUser[] } {
  const byPerson = new Map<string, UserLicense[]>();
  for (const license of licenses) {
    if (!isUserLicense(license)) continue;
    const key = emailKey(license.assignee.email);
    const list = byPerson.get(key);
    if (list) list.push(license);
    else byPerson.set(key, [license]);
  }
  const current: UnifiedUser[] = [];
  const withOutdated: UnifiedUser[] = [];
  for (const [email, held] of byPerson) {
    held.sort((a, b) => compareIds(a.licenseId, b.licenseId));
    const all = buildUser(email, held);
    withOutdated.push(all);
    if (!held.some(isOutdated)) current.push(all);
    else {
      const kept = held.filter((l) => !isOutdated(l));
      if (kept.length > 0) current.push(buildUser(email, kept));
    }
  }
  const byId = (a: UnifiedUser, b: UnifiedUser) => compareIds(a.id, b.id);
  return { current: current.sort(byId), withOutdated: withOutdated.sort(byId) };
}

function buildUser(email: string, held: UserLicense[]): UnifiedUser {
  const licensesOut = held.map(userLicense);
  const name = held.map((l) => l.assignee.name?.trim()).find((n): n is string => Boolean(n)) ?? null;
  const groups = new Map<string, UnifiedRef>();
  for (const l of licensesOut) if (l.team) groups.set(l.team.id, l.team);
  return {
    id: email,
    remote_id: held[0]!.assignee.email.trim(),
    email,
    emails: [{ email, type: 'work', is_primary: true }],
    name,
    ...splitName(name),
    status: licensesOut.some((l) => l.status === 'active') ? 'active' : 'suspended',
    licenses: licensesOut,
    groups: [...groups.values()].sort((a, b) => compareIds(a.id, b.id)),
    last_active_at: latestDate(licensesOut.map((l) => l.last_active_at)),
    integration: INTEGRATION,
    remote_data: held,
  };
}

/** Teams -> groups, with the number of people holding a (non-outdated) license in each. */
export function mapGroups(teams: JbTeam[], licenses: JbLicense[]): UnifiedGroup[] {
  const all = new Map<number, JbTeam>();
  for (const team of teams) all.set(team.id, team);
  const members = new Map<number, Set<string>>();
  for (const license of licenses) {
    if (!license.team) continue;
    if (!all.has(license.team.id)) all.set(license.team.id, license.team);
    if (!isUserLicense(license) || isOutdated(license)) continue;
    const set = members.get(license.team.id) ?? new Set<string>();
    set.add(emailKey(license.assignee.email));
    members.set(license.team.id, set);
  }
  return [...all.values()]
    .map((team) => ({
      id: String(team.id),
      name: team.name ?? null,
      member_count: members.get(team.id)?.size ?? 0,
      integration: INTEGRATION,
      remote_data: team,
    }))
    .sort((a, b) => compareIds(a.id, b.id));
}

/** Licenses -> plans: one row per product x team x subscription pack, with seat counts. */
export function mapLicensePlans(licenses: JbLicense[], options: MapOptions = {}): UnifiedLicensePlan[] {
  const plans = new Map<string, UnifiedLicensePlan>();
  for (const license of licenses) {
    if (!keep(license, options)) continue;
    const code = license.product?.code ?? 'unknown';
    const pack = license.subscription?.subscriptionPackRef ?? null;
    const id = `${code}:${license.team?.id ?? 'none'}:${pack ?? 'none'}`;
    let plan = plans.get(id);
    if (!plan) {
      plan = {
        id,
        product_code: code,
        name: license.product?.name ?? null,
        team: teamRef(license.team),
        subscription_pack: pack,
        total: 0,
        assigned: 0,
        available: 0,
        suspended: 0,
        trial: 0,
        valid_until: null,
        integration: INTEGRATION,
      };
      plans.set(id, plan);
    }
    plan.total += 1;
    if (license.assignee) plan.assigned += 1;
    if (license.isAvailableToAssign) plan.available += 1;
    if (license.isSuspended) plan.suspended += 1;
    if (license.isTrial) plan.trial += 1;
    plan.valid_until = latestDate([plan.valid_until, toUtc(license.subscription?.validUntilDate)]);
  }
  return [...plans.values()].sort((a, b) => compareIds(a.id, b.id));
}

