/** Small pure helpers every connector's mapper needs, so they agree on dates, order and shapes. */
import type { UnifiedLicensePlan, UnifiedRef } from './unified.types';

/** An upstream date (with offset, `Z`, or a bare `yyyy-MM-dd` meaning UTC) as ISO 8601 UTC; null when absent or unreadable. */
export function toUtc(value: string | undefined | null): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The latest of some ISO 8601 UTC dates (they compare as strings); null when none. */
export function latestDate(dates: (string | null)[]): string | null {
  return dates.reduce<string | null>((max, d) => (d !== null && (max === null || d > max) ? d : max), null);
}

/** Byte-order comparison of ids: the order the store pages in. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A plan with every seat count at zero, for a mapper to count into; `name` is the product's name. */
export function emptyPlan(fields: {
  id: string;
  product_code: string;
  name: string | null;
  team: UnifiedRef | null;
  subscription_pack: string | null;
  integration: string;
}): UnifiedLicensePlan {
  const { id, product_code, name, ...rest } = fields;
  return { id, product_code, product_name: name, name, ...rest, total: 0, assigned: 0, available: 0, unavailable: 0, suspended: 0, trial: 0, valid_until: null };
}
