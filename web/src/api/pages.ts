/** One page of a hub list, as every list endpoint answers. */
interface ListPage<T> {
  result: T[];
  next_cursor?: string | null;
}

/**
 * Every item of a list, following its cursors: for the lists a page shows whole (accounts, keys,
 * links, plans), which hold tens or hundreds of items, not the people or seats that are paged.
 */
export async function everyPage<T>(read: (cursor: string | undefined) => Promise<ListPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.result);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return items;
}
