import { request } from 'undici';
import { agent } from './http';

const PER_PAGE = 200;

/**
 * Walks every page a JetBrains sync reads (assigned and unassigned licenses, 200 per page),
 * `concurrency` at a time: both lists' first pages, then the rest their totals call for. `read`
 * fetches one URL and says how many licenses it held and the list's total (X-Total-Count).
 */
export async function walkLicensePages(baseUrl: string, concurrency: number, read: (url: string) => Promise<{ count: number; total: number }>): Promise<{ pages: number; licenses: number }> {
  let licenses = 0;
  const fetchPage = async (assigned: boolean, page: number) => {
    const result = await read(`${baseUrl}/customer/licenses?page=${page}&perPage=${PER_PAGE}&assigned=${assigned}`);
    licenses += result.count;
    return result;
  };
  const firsts = concurrency > 1 ? await Promise.all([fetchPage(true, 1), fetchPage(false, 1)]) : [await fetchPage(true, 1), await fetchPage(false, 1)];
  const queue: [boolean, number][] = [];
  [true, false].forEach((assigned, i) => {
    const last = Math.ceil(firsts[i]!.total / PER_PAGE);
    for (let page = 2; page <= last; page++) queue.push([assigned, page]);
  });
  const pages = queue.length + 2;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await fetchPage(job[0], job[1]);
    }),
  );
  return { pages, licenses };
}

/**
 * The physical floor of a JetBrains sync: every page the hub reads, at the given concurrency, each
 * body read and JSON.parse'd, nothing else.
 */
export async function downloadAllPages(baseUrl: string, headers: Record<string, string>, concurrency: number): Promise<{ ms: number; pages: number; licenses: number }> {
  const started = performance.now();
  const walked = await walkLicensePages(baseUrl, concurrency, async (url) => {
    const res = await request(url, { headers, dispatcher: agent });
    const body = JSON.parse(await res.body.text()) as unknown[];
    return { count: body.length, total: Number(res.headers['x-total-count']) };
  });
  return { ms: performance.now() - started, ...walked };
}
