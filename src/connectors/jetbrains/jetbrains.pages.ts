import { malformed, readJsonBody } from '../../connector-kit';
import type { JbLicense } from './jetbrains.types';

export const SERVICE = 'JetBrains';

/** What the page loop needs to know about a page it handed on. */
export interface PageSummary {
  count: number;
  /** The first license's id: a page that repeats another (an upstream ignoring `page`) is refused. */
  firstId: string | undefined;
}

/**
 * A page of the license list, decoded and checked: JSON, an array, every license with its id.
 * Runs on the main thread for live reads and in the snapshot worker during a sync.
 */
export function parseLicensePage(body: ArrayBuffer, path: string): JbLicense[] {
  const parsed = readJsonBody(SERVICE, body, path);
  if (!Array.isArray(parsed)) throw malformed(SERVICE, `${path} did not return an array`);
  const items = parsed as JbLicense[];
  if (items.some((license) => typeof license?.licenseId !== 'string')) throw malformed(SERVICE, 'a license without licenseId');
  return items;
}

export function summarizePage(items: JbLicense[]): PageSummary {
  return { count: items.length, firstId: items[0]?.licenseId };
}
