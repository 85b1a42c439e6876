import type { UnifiedUser } from '../connector-kit';

/** One field of a user that changed between two syncs. */
export type FieldChange =
  | { field: 'status' | 'name' | 'email'; before: string | null; after: string | null }
  | { field: 'licenses'; before: LicenseRef[]; after: LicenseRef[]; added: LicenseRef[]; removed: LicenseRef[] }
  | { field: 'groups'; before: GroupRef[]; after: GroupRef[]; added: GroupRef[]; removed: GroupRef[] };

export interface LicenseRef {
  id: string;
  product_code: string;
}
export interface GroupRef {
  id: string;
  name: string | null;
}

/**
 * What changed in a person that a client following the feed cares about: status, name, email,
 * the licenses they hold (by id) and their groups. Activity alone (last_active_at, a license's
 * last use) is not a change: it moves on every sync.
 */
export function userChanges(before: UnifiedUser, after: UnifiedUser): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ['status', 'name', 'email'] as const) {
    if ((before[field] ?? null) !== (after[field] ?? null)) changes.push({ field, before: before[field] ?? null, after: after[field] ?? null });
  }
  const licenses = setChange(before.licenses.map(licenseRef), after.licenses.map(licenseRef));
  if (licenses) changes.push({ field: 'licenses', ...licenses });
  const groups = setChange(before.groups.map(groupRef), after.groups.map(groupRef));
  if (groups) changes.push({ field: 'groups', ...groups });
  return changes;
}

function licenseRef(license: { id: string; product_code: string }): LicenseRef {
  return { id: license.id, product_code: license.product_code };
}

function groupRef(group: { id: string; name: string | null }): GroupRef {
  return { id: group.id, name: group.name };
}

/** Before, after, and what was added and removed, by id; null when the ids are the same. */
function setChange<T extends { id: string }>(before: T[], after: T[]): { before: T[]; after: T[]; added: T[]; removed: T[] } | null {
  const beforeIds = new Set(before.map((x) => x.id));
  const afterIds = new Set(after.map((x) => x.id));
  const added = after.filter((x) => !beforeIds.has(x.id));
  const removed = before.filter((x) => !afterIds.has(x.id));
  return added.length || removed.length ? { before, after, added, removed } : null;
}
