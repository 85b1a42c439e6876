import type { ConnectorAccount, ConnectorPage, PageRequest } from './connector.contract';

/**
 * Pages a list a connector had to build whole (sorted by id). The connector's cursor is the last id
 * returned, so pages stay consistent even if the list is rebuilt between calls.
 */
export function pageOfSorted<T extends { id: string }>(items: T[], page: PageRequest): ConnectorPage<T> {
  const start = page.cursor === undefined ? 0 : firstAfter(items, page.cursor);
  const end = page.limit === undefined ? items.length : Math.min(items.length, start + page.limit);
  const slice = items.slice(start, end);
  return { items: slice, nextCursor: end < items.length && slice.length > 0 ? slice[slice.length - 1]!.id : null };
}

function firstAfter<T extends { id: string }>(items: T[], id: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (items[mid]!.id <= id) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Loads once per sync run (shared by users, groups and licenses), every time outside a run. */
export function memoInRun<T>(account: ConnectorAccount, key: string, load: () => Promise<T>): Promise<T> {
  return account.run ? account.run.memo(key, load) : load();
}
