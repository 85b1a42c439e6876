import type { UnifiedLicensePlan, UnifiedUser, UnifiedUserLicense } from '../connector-kit';
import type { Seat } from './seat.types';

/** Account types that are not people (Atlassian): they never hold seats, nor are they people. */
export const NOT_PEOPLE = new Set(['app', 'customer']);
/** Statuses of accounts that no longer exist upstream: they hold no seats. */
const CLOSED = new Set(['deleted', 'closed']);

/**
 * The seats a person holds: one per license (JetBrains) or product access (Atlassian). Bots,
 * portal customers and closed accounts hold none. With `outdatedOnly`, only the licenses whose
 * subscription has lapsed (the outdated-inclusive view adds those to the default one).
 */
export function seatsOfUser(user: UnifiedUser, outdatedOnly = false): Seat[] {
  if (NOT_PEOPLE.has(user.account_type ?? '') || CLOSED.has(user.status)) return [];
  const seats: Seat[] = [];
  for (const license of user.licenses) {
    const outdated = license.status === 'outdated';
    if (outdatedOnly && !outdated) continue;
    seats.push({
      id: seatId(user, license),
      user_id: user.id,
      email: user.email,
      name: user.name,
      product_code: license.product_code,
      product_name: license.product_name ?? license.name,
      group: license.team ? { id: license.team.id, name: license.team.name } : null,
      subscription_pack: license.subscription_pack,
      assigned_at: license.assigned_at,
      last_active_at: license.last_active_at,
      license_status: license.status,
      outdated,
    });
  }
  return seats;
}

/**
 * A license whose id is its product code is an access to a product (Atlassian), unique only per
 * person: the seat is then (person, product). Otherwise the license id is the seat (JetBrains).
 */
function seatId(user: UnifiedUser, license: UnifiedUserLicense): string {
  return license.id === license.product_code ? `${user.id}:${license.id}` : license.id;
}

/** The plan a seat counts in, keyed as plans are: product, team and subscription pack. */
export function seatPlanKey(seat: Pick<Seat, 'product_code' | 'group' | 'subscription_pack'>): string {
  return JSON.stringify([seat.product_code, seat.group?.id ?? null, seat.subscription_pack]);
}

export function planKey(plan: Pick<UnifiedLicensePlan, 'product_code' | 'team' | 'subscription_pack'>): string {
  return JSON.stringify([plan.product_code, plan.team?.id ?? null, plan.subscription_pack]);
}
