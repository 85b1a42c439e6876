import { HubError } from '../../common/errors';
import type { UpstreamHttp } from '../../connector-kit';
import { AtlassianClient, Page } from './atlassian.client';

const staleCursor = () => new HubError('UPSTREAM_REJECTED', 'Atlassian refused the request with 400: Invalid page cursor', { details: { upstream_status: 400, upstream_code: 'ADMIN-400-1' } });

/** Pages of a list of numbers, two at a time, cursors `c2`, `c4`…; `fail(cursor)` may throw instead. */
function pages(total: number, fail: (cursor: string | null) => void = () => {}) {
  const calls: (string | null)[] = [];
  const fetchPage = async (cursor: string | null): Promise<Page<number>> => {
    calls.push(cursor);
    fail(cursor);
    const from = cursor ? Number(cursor.slice(1)) : 0;
    const items = Array.from({ length: Math.min(2, total - from) }, (_, i) => from + i);
    return { items, next: from + 2 < total ? `c${from + 2}` : null };
  };
  return { fetchPage, calls };
}

describe('AtlassianClient.all', () => {
  const client = new AtlassianClient({} as UpstreamHttp);

  it('follows cursors to the end, or stops after the page `until` accepts', async () => {
    expect(await client.all(pages(5).fetchPage)).toEqual([0, 1, 2, 3, 4]);
    const walk = pages(9);
    expect(await client.all(walk.fetchPage, undefined, (page) => page.includes(3))).toEqual([0, 1, 2, 3]);
    expect(walk.calls).toEqual([null, 'c2']);
  });

  it('starts over once when a cursor expires mid-walk, without counting anything twice', async () => {
    let expired = false;
    const walk = pages(6, (cursor) => {
      if (cursor === 'c4' && !expired) {
        expired = true;
        throw staleCursor();
      }
    });
    expect(await client.all(walk.fetchPage)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(walk.calls).toEqual([null, 'c2', 'c4', null, 'c2', 'c4']);
  });

  it('gives up with the upstream error when the cursor expires again, or on the first page', async () => {
    const always = pages(6, (cursor) => {
      if (cursor === 'c2') throw staleCursor();
    });
    await expect(client.all(always.fetchPage)).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', details: { upstream_code: 'ADMIN-400-1' } });
    expect(always.calls).toEqual([null, 'c2', null, 'c2']);
    const first = pages(6, () => {
      throw staleCursor();
    });
    await expect(client.all(first.fetchPage)).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED' });
    expect(first.calls).toEqual([null]);
  });
});
