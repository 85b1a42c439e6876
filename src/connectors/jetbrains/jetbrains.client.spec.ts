import type { JsonRequest, JsonResponse, UpstreamHttp } from '../../connector-kit';
import { JetbrainsClient, PAGES_AHEAD, PER_PAGE } from './jetbrains.client';
import type { JbTokenInfo } from './jetbrains.client';

const TOKEN = { type: 'CUSTOMER', code: 1 } as unknown as JbTokenInfo;
const CREDENTIALS = { customer_code: '1', api_key: 'k' };

/** An upstream that answers every page at once: `assigned` licenses in total, no unassigned ones. */
function upstream(assigned: number): { http: UpstreamHttp; downloaded: () => number } {
  let downloaded = 0;
  const http = {
    bytes: async (req: JsonRequest): Promise<JsonResponse<ArrayBuffer>> => {
      const url = new URL(req.url);
      const total = url.searchParams.get('assigned') === 'true' ? assigned : 0;
      const page = Number(url.searchParams.get('page'));
      const count = Math.max(0, Math.min(PER_PAGE, total - (page - 1) * PER_PAGE));
      downloaded += 1;
      return { status: 200, headers: { 'x-total-count': String(total) }, body: new TextEncoder().encode(JSON.stringify({ page, count, assigned: total > 0 })).buffer };
    },
  } as unknown as UpstreamHttp;
  return { http, downloaded: () => downloaded };
}

describe('JetbrainsClient.eachLicensePage', () => {
  it('holds back downloads while reading lags, so at most PAGES_AHEAD pages wait to be read', async () => {
    const pages = 60;
    const { http, downloaded } = upstream(pages * PER_PAGE);
    let read = 0;
    let mostWaiting = 0;
    const seen = new Set<number>();
    // One page at a time, as the sync's one worker thread reads them.
    let queue: Promise<unknown> = Promise.resolve();
    const slowReader = async (body: ArrayBuffer) => {
      mostWaiting = Math.max(mostWaiting, downloaded() - read);
      const turn = queue.then(() => new Promise((resolve) => setTimeout(resolve, 2)));
      queue = turn;
      await turn;
      const { page, count, assigned } = JSON.parse(new TextDecoder().decode(body)) as { page: number; count: number; assigned: boolean };
      if (assigned) seen.add(page);
      read += 1;
      return { count, firstId: count > 0 ? `${assigned}-${page}` : undefined };
    };
    await new JetbrainsClient(http).eachLicensePage('http://127.0.0.1:1', CREDENTIALS, TOKEN, slowReader);
    expect(seen.size).toBe(pages);
    // The first page of each list is fetched before the window applies: PAGES_AHEAD plus those two.
    expect(mostWaiting).toBeLessThanOrEqual(PAGES_AHEAD + 2);
    expect(mostWaiting).toBeGreaterThan(1);
  });
});
