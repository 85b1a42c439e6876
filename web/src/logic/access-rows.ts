/**
 * What a connector learnt at authenticate() (organization, role, teams, extra facts) as label/value
 * rows: nested keys joined, lists of values joined, lists of objects counted.
 */
export function accessRows(access: unknown, path = ''): [string, string][] {
  if (access === null || access === undefined) return [];
  if (Array.isArray(access)) {
    if (access.every((v) => typeof v !== 'object' || v === null)) return [[path, access.join(', ') || 'none']];
    return [[path, `${access.length} item${access.length === 1 ? '' : 's'}`]];
  }
  if (typeof access === 'object') {
    return Object.entries(access as Record<string, unknown>).flatMap(([key, value]) => accessRows(value, path ? `${path} ${key}` : key));
  }
  return [[path, String(access)]];
}
