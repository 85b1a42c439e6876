import { RawJson, compareIds, emptyPlan, latestDate, seatOf, seatRow, toUtc } from '../../connector-kit';
import type { DerivedPersonRow, DerivedSeatRow, PersonInAccount, RemotePart, SerializedRecord, UnifiedGroup, UnifiedLicensePlan, UnifiedRef, UnifiedUser, UnifiedUserLicense } from '../../connector-kit';
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

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * First and last name only when the full name splits unambiguously into exactly two words. Names
 * in Chinese, Japanese or Korean script put the family name first (`佐藤 花子`), so, as with
 * `Lovelace, Ada`, the word order does not give the first name: they are not split.
 */
export function splitName(name: string | null): { first_name: string | null; last_name: string | null } {
  const words = name?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (words.length !== 2 || name!.includes(',') || FAMILY_NAME_FIRST.test(name!)) return { first_name: null, last_name: null };
  return { first_name: words[0]!, last_name: words[1]! };
}
const FAMILY_NAME_FIRST = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * One shared object or string per distinct value. JSON.parse gives every license its own copy of
 * the product name, team and pack; across 100k licenses those copies are most of the memory.
 */
const sharedTeams = new Map<number, UnifiedRef>();
const sharedTexts = new Map<string, string>();
/** Bound on the shared values, so a long-running hub never grows them without limit. */
const SHARED_MAX = 100_000;

function teamRef(team: JbTeam | undefined): UnifiedRef | null {
  if (!team) return null;
  let ref = sharedTeams.get(team.id);
  if (!ref || ref.name !== (team.name ?? null)) {
    if (sharedTeams.size > SHARED_MAX) sharedTeams.clear();
    ref = { id: String(team.id), name: team.name ?? null };
    sharedTeams.set(team.id, ref);
  }
  return ref;
}

function text(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const shared = sharedTexts.get(value);
  if (shared !== undefined) return shared;
  if (sharedTexts.size > SHARED_MAX) sharedTexts.clear();
  sharedTexts.set(value, value);
  return value;
}

/** Normalising the same end date of every license of a pack once: most licenses share one. */
function validUntil(license: JbLicense): string | null {
  const raw = license.subscription?.validUntilDate;
  if (!raw) return null;
  let utc = sharedDates.get(raw);
  if (utc === undefined) {
    if (sharedDates.size > SHARED_MAX) sharedDates.clear();
    utc = toUtc(raw);
    sharedDates.set(raw, utc);
  }
  return utc;
}
const sharedDates = new Map<string, string | null>();

function licenseStatus(license: JbLicense): UnifiedUserLicense['status'] {
  if (license.isSuspended) return 'suspended';
  if (isOutdated(license)) return 'outdated';
  return 'active';
}

/** The product's name as the license carries it; null when it carries none (see nameProducts). */
function productName(license: JbLicense): string | null {
  return text(license.product?.name?.trim() || null);
}

function userLicense(license: UserLicense): UnifiedUserLicense {
  const name = productName(license);
  return {
    id: license.licenseId,
    product_code: text(license.product?.code) ?? 'unknown',
    product_name: name,
    name,
    status: licenseStatus(license),
    is_trial: license.isTrial === true,
    team: teamRef(license.team),
    subscription_pack: text(license.subscription?.subscriptionPackRef),
    valid_until: validUntil(license),
    assigned_at: toUtc(license.lastSeen?.lastAssignmentDate),
    last_active_at: toUtc(license.lastSeen?.lastSeenDate),
  };
}

/**
 * What the licenses of one product, status, team, subscription pack and end date have in common,
 * kept once for all of them with its JSON made once: a unified license is its id, this, and its two
 * dates. Holding each license's whole JSON instead cost about 350 bytes a license, a third of what
 * a 100k-license sync holds until the last page is in.
 */
interface LicenseShape {
  productCode: string;
  /** Null while its product has no name yet (the catalogue may name it: see licenseJson). */
  productName: string | null;
  /** The shape's fields as a unified license has them, between `id` and `assigned_at`, without braces. */
  middle: string;
}

/**
 * One USER license as a person's record needs it. The unified license is kept as its shape and
 * the fields of its own, as it arrives (in a sync, in a worker while pages are still downloading),
 * and the raw license is kept as JSON text or handed out: neither is held as objects.
 */
interface HeldLicense {
  licenseId: string;
  outdated: boolean;
  /** Strings shared with the person's other licenses where they are equal (see add). */
  email: string;
  name: string | null;
  active: boolean;
  team: UnifiedRef | null;
  assignedAt: string | null;
  lastActiveAt: string | null;
  shape: LicenseShape;
  /** Null when the raw license was handed out as a part instead of kept (see add). */
  raw: string | null;
  /** The place of the part the raw license was handed out as (see add, arrivalKey); -1 when it was kept. */
  part: number;
}

/** A person's stored record in both views, in id order (see LicenseAccumulator.userRecords). */
export interface UserRecords {
  /** Without outdated licenses; null when every license of the person is outdated. */
  current: SerializedRecord | null;
  /** With outdated licenses; null when that is the same record as `current`. */
  withOutdated: SerializedRecord | null;
  /** The person's seats handed out by add() that are now known better (see seatUpdates). */
  seatUpdates: DerivedSeatRow[];
  /** The person's people-index row (of `current`), made without parsing the record; null without `current`. */
  person: DerivedPersonRow | null;
}

/** Where add() hands out what it does not keep: each USER license's raw JSON, and its seat. */
export interface HandedOut {
  parts: RemotePart[];
  seats: DerivedSeatRow[];
}

/**
 * Builds users, groups and plans from licenses page by page, as they arrive: the per-license work
 * (dates, serialising the raw record) happens while the next pages are still in flight, and the
 * parsed pages can be dropped. Only USER assignees are people; addresses differing in letter case
 * are one person; licenses seen twice (moved between pages while reading) count once.
 */
export class LicenseAccumulator {
  private readonly people = new Map<string, HeldLicense[]>();
  private readonly seen = new Set<string>();
  private readonly teams = new Map<number, JbTeam>();
  private readonly members = new Map<number, Set<string>>();
  private readonly plans = { current: new Map<string, UnifiedLicensePlan>(), withOutdated: new Map<string, UnifiedLicensePlan>() };
  /** Product codes seen on licenses that carry no product name, and names for them from GET /products. */
  private readonly unnamed = new Set<string>();
  private catalogue: ReadonlyMap<string, string> = new Map();
  /** The JSON of shapes that came without a product name, named from this catalogue (see licenseJson). */
  private readonly catalogued = new Map<LicenseShape, string>();
  /** Parts handed out so far: the next part's id. */
  private partsHandedOut = 0;
  /** Whether add() handed out the seats (then userRecords() says which need correcting). */
  private seatsHandedOut = false;

  /**
   * Adds a page. With `out`, each USER license's raw JSON goes to `out.parts` (stored while the
   * download goes on) instead of being kept, records then naming their licenses as their remote
   * data's parts; and its seat goes to `out.seats`, with the name on that license as the holder's
   * (userRecords() corrects the few that differ from the person's name, or lacked a product name).
   */
  add(licenses: JbLicense[], out?: HandedOut): this {
    if (out) this.seatsHandedOut = true;
    for (const license of licenses) {
      if (this.seen.has(license.licenseId)) continue;
      this.seen.add(license.licenseId);
      const outdated = isOutdated(license);
      if (license.team && !this.teams.has(license.team.id)) this.teams.set(license.team.id, { id: license.team.id, name: license.team.name });
      addToPlan(this.plans.withOutdated, license);
      if (!outdated) addToPlan(this.plans.current, license);
      if (!isUserLicense(license)) continue;
      const key = emailKey(license.assignee.email);
      if (!outdated && license.team) {
        const set = this.members.get(license.team.id) ?? new Set<string>();
        set.add(key);
        this.members.set(license.team.id, set);
      }
      const unified = userLicense(license);
      if (unified.product_name === null) this.unnamed.add(unified.product_code);
      const raw = JSON.stringify(license);
      const part = out ? this.partsHandedOut++ : -1;
      const list = this.people.get(key);
      const first = list?.[0];
      const email = license.assignee.email.trim();
      const name = license.assignee.name?.trim() || null;
      const held: HeldLicense = {
        licenseId: license.licenseId,
        outdated,
        email: first?.email === email ? first.email : email,
        name: first && first.name === name ? first.name : name,
        active: unified.status === 'active',
        team: unified.team,
        assignedAt: unified.assigned_at,
        lastActiveAt: unified.last_active_at,
        shape: licenseShape(unified),
        raw: out ? null : raw,
        part,
      };
      if (out) {
        out.parts.push({ part_id: arrivalKey(part), data: raw });
        out.seats.push(seatRow(seatOf({ id: key, email: key, name: held.name }, unified)));
      }
      if (list) list.push(held);
      else this.people.set(key, [held]);
    }
    return this;
  }

  /**
   * Product codes of licenses that carried no product name (every license, not only people's):
   * what to look up in the product catalogue (GET /products) before the records are built.
   */
  unnamedProducts(): string[] {
    const codes = new Set(this.unnamed);
    for (const plan of this.plans.withOutdated.values()) if (plan.product_name === null) codes.add(plan.product_code);
    return [...codes];
  }

  /** Names from the product catalogue, for the licenses that came without one (a license's own name wins). */
  nameProducts(catalogue: ReadonlyMap<string, string>): this {
    this.catalogue = catalogue;
    this.catalogued.clear();
    return this;
  }

  /** The unified license of a held one as JSON, named from the catalogue when it came without a name. */
  private licenseJson(held: HeldLicense): string {
    const { shape } = held;
    let middle = shape.middle;
    if (shape.productName === null) {
      const name = this.catalogue.get(shape.productCode) ?? null;
      if (name !== null) {
        let named = this.catalogued.get(shape);
        if (named === undefined) {
          named = shapeJson({ ...JSON.parse(`{${shape.middle}}`), product_name: name, name });
          this.catalogued.set(shape, named);
        }
        middle = named;
      }
    }
    // The dates come from toISOString() (see toUtc), which never needs escaping.
    const assigned = held.assignedAt === null ? 'null' : `"${held.assignedAt}"`;
    const active = held.lastActiveAt === null ? 'null' : `"${held.lastActiveAt}"`;
    return `{"id":${JSON.stringify(held.licenseId)},${middle},"assigned_at":${assigned},"last_active_at":${active}}`;
  }

  /**
   * Both views: without and with outdated licenses. A person without outdated licenses is the
   * same object in both, so callers can tell unchanged records by identity. Sorted by id.
   */
  userViews(): { current: UnifiedUser[]; withOutdated: UnifiedUser[] } {
    const current: UnifiedUser[] = [];
    const withOutdated: UnifiedUser[] = [];
    for (const [email, { all, kept }] of this.peopleInOrder()) {
      const user = this.buildUser(email, all);
      withOutdated.push(user);
      if (kept === all) current.push(user);
      else if (kept.length > 0) current.push(this.buildUser(email, kept));
    }
    return { current, withOutdated };
  }

  /**
   * The same two views as userViews(), serialised person by person in id order without building
   * the user objects: what a sync stores. Each license's JSON was made when it arrived.
   */
  *userRecords(): Generator<UserRecords> {
    for (const [email, { all, kept }] of this.peopleInOrder()) {
      const seatUpdates = this.seatUpdates(email, all);
      const person = kept.length > 0 ? this.personRow(email, kept) : null;
      if (kept === all) yield { current: this.userRecord(email, all), withOutdated: null, seatUpdates, person };
      else yield { current: kept.length > 0 ? this.userRecord(email, kept) : null, withOutdated: this.userRecord(email, all), seatUpdates, person };
    }
  }

  /** Whether add() handed out the seats: then records only need people derived, and seatUpdates applied. */
  get handedOutSeats(): boolean {
    return this.seatsHandedOut;
  }

  /**
   * The people-index row personOfUser() makes of this person's record, built from the held licenses
   * (the same fields, in the same order) instead of by parsing the record again.
   */
  private personRow(email: string, held: HeldLicense[]): DerivedPersonRow | null {
    const key = email.trim().toLowerCase();
    if (!key) return null;
    const { before, after } = userParts(email, held);
    const entry: PersonInAccount = {
      user_id: email,
      name: before.name,
      status: before.status,
      last_active_at: after.last_active_at,
      licenses: held.map((h) => ({ product_code: h.shape.productCode, product_name: h.shape.productName ?? this.catalogue.get(h.shape.productCode) ?? null, last_active_at: h.lastActiveAt })),
    };
    return { email: key, user_id: email, data: JSON.stringify(entry) };
  }

  /**
   * The person's seats handed out by add() whose holder name was the name on that license rather
   * than the person's (the first name in license id order), or whose product came without a name
   * the catalogue has: the seat as the person's record has it.
   */
  private seatUpdates(email: string, held: HeldLicense[]): DerivedSeatRow[] {
    if (!this.seatsHandedOut) return [];
    const name = personName(held);
    const updates: DerivedSeatRow[] = [];
    for (const h of held) {
      const renamed = h.shape.productName === null && this.catalogue.has(h.shape.productCode);
      if (h.name === name && !renamed) continue;
      const license = JSON.parse(this.licenseJson(h)) as UnifiedUserLicense;
      updates.push(seatRow(seatOf({ id: email, email, name }, license)));
    }
    return updates;
  }

  /** People by id, each with all their licenses and those that are not outdated (the same array when none is). */
  private *peopleInOrder(): Generator<[string, { all: HeldLicense[]; kept: HeldLicense[] }]> {
    const byLicenseId = (a: HeldLicense, b: HeldLicense) => compareIds(a.licenseId, b.licenseId);
    for (const email of [...this.people.keys()].sort(compareIds)) {
      const all = this.people.get(email)!.sort(byLicenseId);
      yield [email, { all, kept: all.some((h) => h.outdated) ? all.filter((h) => !h.outdated) : all }];
    }
  }

  /** Teams (those the token lists and those seen on licenses) with their people holding a current license. */
  groups(tokenTeams: JbTeam[]): UnifiedGroup[] {
    const all = new Map<number, JbTeam>(this.teams);
    for (const team of tokenTeams) all.set(team.id, team);
    return [...all.values()]
      .map((team) => ({ id: String(team.id), name: team.name ?? null, member_count: this.members.get(team.id)?.size ?? 0, integration: INTEGRATION, remote_data: team }))
      .sort((a, b) => compareIds(a.id, b.id));
  }

  /** One row per product x team x subscription pack, with seat counts. */
  licensePlans(options: MapOptions = {}): UnifiedLicensePlan[] {
    const plans = options.includeOutdated ? this.plans.withOutdated : this.plans.current;
    return [...plans.values()].map((p) => this.named({ ...p })).sort((a, b) => compareIds(a.id, b.id));
  }

  private named(plan: UnifiedLicensePlan): UnifiedLicensePlan {
    if (plan.product_name === null) {
      const name = this.catalogue.get(plan.product_code) ?? null;
      plan.product_name = name;
      plan.name = name;
    }
    return plan;
  }

  private buildUser(email: string, held: HeldLicense[]): UnifiedUser {
    const { before, after } = userParts(email, held);
    const licenses = held.map((h) => JSON.parse(this.licenseJson(h)) as UnifiedUserLicense);
    return { ...before, licenses, ...after, remote_data: RawJson.array(held.map((h) => h.raw ?? 'null')) };
  }

  /** JSON.stringify of buildUser()'s record, with each license's JSON spliced in as made on arrival. */
  private userRecord(email: string, held: HeldLicense[]): SerializedRecord {
    const { before, after } = userParts(email, held);
    const head = JSON.stringify(before);
    const tail = JSON.stringify(after);
    const licenses = held.map((h) => this.licenseJson(h)).join(',');
    return {
      id: email,
      data: `${head.slice(0, -1)},"licenses":[${licenses}],${tail.slice(1)}`,
      ...(held[0]!.raw === null
        ? { remote_data: null, remote_part_ids: held.map((h) => arrivalKey(h.part)) }
        : { remote_data: `[${held.map((h) => h.raw).join(',')}]` }),
    };
  }
}

/**
 * A part's id: its place in arrival order, fixed width so that byte order is arrival order. Parts
 * are stored as the pages arrive, and an id that grows with arrival appends each one at the end of
 * the table's key instead of scattering the inserts over it (license ids come in random order).
 */
function arrivalKey(index: number): string {
  return index.toString(36).padStart(7, '0');
}

/** The shapes seen so far, by their JSON (see LicenseShape); bounded like the other shared values. */
const sharedShapes = new Map<string, LicenseShape>();

/** The shape of a unified license (everything but its id and dates), one object per distinct shape. */
function licenseShape(license: UnifiedUserLicense): LicenseShape {
  const middle = shapeJson(license);
  let shape = sharedShapes.get(middle);
  if (!shape) {
    if (sharedShapes.size > SHARED_MAX) sharedShapes.clear();
    shape = { productCode: license.product_code, productName: license.product_name, middle };
    sharedShapes.set(middle, shape);
  }
  return shape;
}

/** The JSON of a unified license's fields from `product_code` to `valid_until`, in its key order, without braces. */
function shapeJson(license: Pick<UnifiedUserLicense, 'product_code' | 'product_name' | 'name' | 'status' | 'is_trial' | 'team' | 'subscription_pack' | 'valid_until'>): string {
  const { product_code, product_name, name, status, is_trial, team, subscription_pack, valid_until } = license;
  return JSON.stringify({ product_code, product_name, name, status, is_trial, team, subscription_pack, valid_until }).slice(1, -1);
}

/** A person's name: the first name on their licenses, in license id order (`held` is sorted so). */
function personName(held: HeldLicense[]): string | null {
  return held.find((h) => h.name !== null)?.name ?? null;
}

/** A person's fields around their licenses, in the order the record has them. */
function userParts(email: string, held: HeldLicense[]) {
  const name = personName(held);
  const groups = new Map<string, UnifiedRef>();
  for (const h of held) if (h.team) groups.set(h.team.id, h.team);
  const before = {
    id: email,
    remote_id: held[0]!.email,
    email,
    emails: [{ email, type: 'work' as const, is_primary: true }],
    name,
    ...splitName(name),
    status: held.some((h) => h.active) ? ('active' as const) : ('suspended' as const),
  };
  const after = {
    groups: [...groups.values()].sort((a, b) => compareIds(a.id, b.id)),
    last_active_at: latestDate(held.map((h) => h.lastActiveAt)),
    integration: INTEGRATION,
  };
  return { before, after };
}

function addToPlan(plans: Map<string, UnifiedLicensePlan>, license: JbLicense): void {
  const code = license.product?.code ?? 'unknown';
  const pack = license.subscription?.subscriptionPackRef ?? null;
  const id = `${code}:${license.team?.id ?? 'none'}:${pack ?? 'none'}`;
  let plan = plans.get(id);
  if (!plan) {
    plan = emptyPlan({ id, product_code: code, name: productName(license), team: teamRef(license.team), subscription_pack: pack, integration: INTEGRATION });
    plans.set(id, plan);
  } else if (plan.product_name === null) {
    plan.product_name = plan.name = productName(license);
  }
  // Every license is exactly one of assigned, available or unavailable, so the three add up to total.
  plan.total! += 1;
  if (license.assignee) plan.assigned += 1;
  else if (license.isAvailableToAssign) plan.available! += 1;
  else plan.unavailable! += 1;
  if (license.isSuspended) plan.suspended += 1;
  if (license.isTrial) plan.trial += 1;
  const until = validUntil(license);
  if (until !== null && (plan.valid_until === null || until > plan.valid_until)) plan.valid_until = until;
}

/** Licenses -> people (see LicenseAccumulator). */
export function mapUsers(licenses: JbLicense[], options: MapOptions = {}): UnifiedUser[] {
  const views = new LicenseAccumulator().add(licenses).userViews();
  return options.includeOutdated ? views.withOutdated : views.current;
}

/** Teams -> groups, with the number of people holding a (non-outdated) license in each. */
export function mapGroups(teams: JbTeam[], licenses: JbLicense[]): UnifiedGroup[] {
  return new LicenseAccumulator().add(licenses).groups(teams);
}

/** Licenses -> plans: one row per product x team x subscription pack, with seat counts. */
export function mapLicensePlans(licenses: JbLicense[], options: MapOptions = {}): UnifiedLicensePlan[] {
  return new LicenseAccumulator().add(licenses).licensePlans(options);
}
