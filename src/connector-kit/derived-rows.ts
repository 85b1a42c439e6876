import type { SerializedRecord } from './snapshot-records';
import { TOMBSTONE } from './snapshot-records';
import type { UnifiedLicensePlan, UnifiedRef, UnifiedUser, UnifiedUserLicense } from './unified.types';

/**
 * What the hub derives from a snapshot's users besides storing them: the seats they hold and the
 * people index by email. Pure functions of the unified users, here in the kit so that a connector
 * that serialises its own records (JetBrains does, in a worker thread) can derive the rows where the
 * records are made and hand them over with them (RecordsChunk.derived), instead of the hub parsing
 * every record again on its main thread.
 */

/** Account types that are not people (Atlassian): they never hold seats, nor are they people. */
export const NOT_PEOPLE = new Set(['app', 'customer']);
/** Statuses of accounts that no longer exist upstream: they hold no seats. */
const CLOSED = new Set(['deleted', 'closed']);

/** One seat held by a person: one per license (JetBrains) or product access (Atlassian). */
export interface Seat {
  /** The license id (JetBrains), or `<user id>:<product key>` where a license is a product access (Atlassian). */
  id: string;
  user_id: string;
  email: string | null;
  name: string | null;
  product_code: string;
  product_name: string | null;
  group: UnifiedRef | null;
  subscription_pack: string | null;
  assigned_at: string | null;
  last_active_at: string | null;
  license_status: string;
  /** Only in the outdated-inclusive view (its subscription has lapsed). */
  outdated: boolean;
}

/** What one account says about a person, as the people endpoint shows it. */
export interface PersonInAccount {
  user_id: string;
  name: string | null;
  status: string;
  last_active_at: string | null;
  licenses: { product_code: string; product_name: string | null; last_active_at: string | null }[];
}

/** A seat ready to store: its key fields, and the seat as served (without `outdated`) as JSON. */
export interface DerivedSeatRow {
  id: string;
  product_code: string;
  product_name: string | null;
  group_id: string | null;
  plan_key: string;
  outdated: boolean;
  assigned_at: string | null;
  last_active_at: string | null;
  data: string;
}

/** A people-index entry ready to store. */
export interface DerivedPersonRow {
  email: string;
  user_id: string;
  data: string;
}

/** The rows derived from a chunk of user records (people only for the default view). */
export interface DerivedRows {
  seats: DerivedSeatRow[];
  people: DerivedPersonRow[];
  /**
   * Seats handed over earlier (PartsChunk.seats) that are now known better, same id: a holder's
   * name or a product's name is only final once every page is in.
   */
  seatUpdates?: DerivedSeatRow[];
}

/**
 * The seats a person holds. Bots, portal customers and closed accounts hold none. With
 * `outdatedOnly`, only the licenses whose subscription has lapsed (the outdated-inclusive view adds
 * those to the default one).
 */
export function seatsOfUser(user: UnifiedUser, outdatedOnly = false): Seat[] {
  if (NOT_PEOPLE.has(user.account_type ?? '') || CLOSED.has(user.status)) return [];
  const seats: Seat[] = [];
  for (const license of user.licenses) {
    if (outdatedOnly && license.status !== 'outdated') continue;
    seats.push(seatOf(user, license));
  }
  return seats;
}

/** Who holds a seat: the fields of the user a seat repeats. */
export type SeatHolder = Pick<UnifiedUser, 'id' | 'email' | 'name'>;

/**
 * The seat one license of a person is. For a connector that knows a license's seat before the
 * person's record exists (JetBrains, page by page), seatsOfUser() is this for each license.
 */
export function seatOf(holder: SeatHolder, license: UnifiedUserLicense): Seat {
  return {
    id: seatId(holder, license),
    user_id: holder.id,
    email: holder.email,
    name: holder.name,
    product_code: license.product_code,
    product_name: license.product_name ?? license.name,
    group: license.team ? { id: license.team.id, name: license.team.name } : null,
    subscription_pack: license.subscription_pack,
    assigned_at: license.assigned_at,
    last_active_at: license.last_active_at,
    license_status: license.status,
    outdated: license.status === 'outdated',
  };
}

/**
 * A license whose id is its product code is an access to a product (Atlassian), unique only per
 * person: the seat is then (person, product). Otherwise the license id is the seat (JetBrains).
 */
function seatId(holder: SeatHolder, license: UnifiedUserLicense): string {
  return license.id === license.product_code ? `${holder.id}:${license.id}` : license.id;
}

/** The plan a seat counts in, keyed as plans are: product, team and subscription pack. */
export function seatPlanKey(seat: Pick<Seat, 'product_code' | 'group' | 'subscription_pack'>): string {
  return JSON.stringify([seat.product_code, seat.group?.id ?? null, seat.subscription_pack]);
}

export function planKey(plan: Pick<UnifiedLicensePlan, 'product_code' | 'team' | 'subscription_pack'>): string {
  return JSON.stringify([plan.product_code, plan.team?.id ?? null, plan.subscription_pack]);
}

/**
 * A user as one entry of the people index, keyed by lowercased email. Users without a known email
 * (Atlassian hides some) cannot be matched across accounts and are left out, as are bots and portal
 * customers. A closed account stays, with its status: "what did alice@ hold?" includes what was closed.
 */
export function personOfUser(user: UnifiedUser): { email: string; entry: PersonInAccount } | null {
  if (NOT_PEOPLE.has(user.account_type ?? '')) return null;
  const email = user.email?.trim().toLowerCase();
  if (!email) return null;
  return {
    email,
    entry: {
      user_id: user.id,
      name: user.name,
      status: user.status,
      last_active_at: user.last_active_at,
      licenses: user.licenses.map((l) => ({ product_code: l.product_code, product_name: l.product_name ?? l.name, last_active_at: l.last_active_at })),
    },
  };
}

export function seatRow(seat: Seat): DerivedSeatRow {
  const { outdated, ...served } = seat;
  return {
    id: seat.id,
    product_code: seat.product_code,
    product_name: seat.product_name,
    group_id: seat.group?.id ?? null,
    plan_key: seatPlanKey(seat),
    outdated,
    assigned_at: seat.assigned_at,
    last_active_at: seat.last_active_at,
    data: JSON.stringify(served),
  };
}

/**
 * The rows of users of one view: every seat (of the default view, or with `outdatedOnly` the lapsed
 * ones the outdated-inclusive view adds) and, for the default view, the people entries.
 */
export function deriveRows(users: Iterable<UnifiedUser>, outdatedOnly = false): DerivedRows {
  const rows: DerivedRows = { seats: [], people: [] };
  for (const user of users) {
    for (const seat of seatsOfUser(user, outdatedOnly)) rows.seats.push(seatRow(seat));
    if (outdatedOnly) continue;
    const person = personOfUser(user);
    if (person) rows.people.push({ email: person.email, user_id: user.id, data: JSON.stringify(person.entry) });
  }
  return rows;
}

/** deriveRows() of serialised user records (tombstones skipped). */
export function deriveRowsOfRecords(records: SerializedRecord[], outdatedOnly = false): DerivedRows {
  return deriveRows(usersOf(records), outdatedOnly);
}

function* usersOf(records: SerializedRecord[]): Generator<UnifiedUser> {
  for (const record of records) if (record.data !== TOMBSTONE) yield JSON.parse(record.data) as UnifiedUser;
}
