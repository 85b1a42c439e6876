import { Injectable } from '@nestjs/common';
import { ConcurrencyGate, JsonRequest, JsonResponse, UpstreamHttp, malformed, redactUrl } from '../../connector-kit';
import type { Credentials, RunScope } from '../../connector-kit';
import { PageSummary, SERVICE } from './jetbrains.pages';
import type { JbError, JbManagedCustomer, JbManagedTeam, JbProduct } from './jetbrains.types';

/** The API's maximum page size (reference §1.3). */
export const PER_PAGE = 200;
/** Pages in flight at once per account. */
export const PAGE_CONCURRENCY = 8;
/**
 * Pages fetched but not yet read (decoded and stored) at most, across both lists: when reading
 * falls behind the upstream (a busy machine), the downloads wait instead of piling up bodies and
 * their decoded licenses in memory.
 */
export const PAGES_AHEAD = 2 * PAGE_CONCURRENCY;
/** A guard against a page loop that never ends: 2,000,000 licenses. */
export const PAGE_CAP = 10_000;

export type JbTokenInfo = JbManagedCustomer | JbManagedTeam;

/** Decodes and keeps one page's body (`path` names it in errors); may run elsewhere, hence async. */
export type PageReader = (body: ArrayBuffer, path: string) => PageSummary | Promise<PageSummary>;

interface LicensePage {
  count: number;
  total: number | null;
}

/**
 * JetBrains Account API over HTTP: URLs, headers, paging. Knows nothing of the unified schema.
 */
@Injectable()
export class JetbrainsClient {
  constructor(private readonly http: UpstreamHttp) {}

  authHeaders(credentials: Credentials): Record<string, string> {
    return { 'X-Customer-Code': credentials.customer_code!, 'X-Api-Key': credentials.api_key! };
  }

  async tokenInfo(baseUrl: string, credentials: Credentials, run?: RunScope): Promise<JbTokenInfo> {
    const { body } = await this.http.json<JbTokenInfo>(this.request(baseUrl + '/token', credentials, run));
    if (!body || (body.type !== 'CUSTOMER' && body.type !== 'TEAM')) throw malformed(SERVICE, 'GET /token is not a customer or team');
    return body;
  }

  /** The product catalogue (GET /products): code and name of every product. */
  async products(baseUrl: string, credentials: Credentials, run?: RunScope): Promise<JbProduct[]> {
    const { body } = await this.http.json<JbProduct[]>(this.request(baseUrl + '/products', credentials, run));
    if (!Array.isArray(body)) throw malformed(SERVICE, 'GET /products did not return an array');
    return body.filter((p) => typeof p?.code === 'string' && typeof p.name === 'string' && p.name.trim() !== '');
  }

  /**
   * Every license the token can see: each page's body is handed to `readPage` as it arrives (in no
   * particular order), which decodes and keeps it (see parseLicensePage) and says what it held. Does not rely on the `assigned` default (reference open question 1: "all"
   * or "unassigned only"): it asks for assigned and unassigned licenses explicitly. Each list's
   * first page gives X-Total-Count; the remaining pages are fetched at once through a shared gate.
   * Without a usable total, or when the total was short, pages are read in windows until a short
   * page ends the list.
   */
  async eachLicensePage(baseUrl: string, credentials: Credentials, token: JbTokenInfo, readPage: PageReader, run?: RunScope): Promise<void> {
    const listUrl = token.type === 'TEAM' ? `${baseUrl}/customer/teams/${token.team.id}/licenses` : `${baseUrl}/customer/licenses`;
    const gate = new ConcurrencyGate(PAGE_CONCURRENCY);
    const ahead = new ConcurrencyGate(PAGES_AHEAD);
    const progress = { done: 0, known: 0 };
    const report = () => run?.reportPages(progress.done, progress.known);
    const readList = (assigned: boolean) => this.readList(listUrl, assigned, credentials, { gate, ahead }, readPage, run, progress, report);
    await Promise.all([readList(true), readList(false)]);
  }

  private async readList(
    url: string,
    assigned: boolean,
    credentials: Credentials,
    { gate, ahead }: { gate: ConcurrencyGate; ahead: ConcurrencyGate },
    readPage: PageReader,
    run: RunScope | undefined,
    progress: { done: number; known: number },
    report: () => void,
  ): Promise<void> {
    const firstIds = new Map<string, number>();
    const pageUrl = (page: number) => `${url}?page=${page}&perPage=${PER_PAGE}&assigned=${assigned}`;
    const download = (page: number) => this.http.bytes({ ...this.request(pageUrl(page), credentials, run), gate });
    const digest = async (page: number, response: JsonResponse<ArrayBuffer>): Promise<LicensePage> => {
      const { count, firstId } = await readPage(response.body, redactUrl(pageUrl(page)));
      // An upstream that ignores `page` would hand us page 1 forever: refuse a repeated page.
      if (firstId !== undefined) {
        const seenOn = firstIds.get(firstId);
        if (seenOn !== undefined && seenOn !== page) throw malformed(SERVICE, `page ${page} repeats page ${seenOn}; stopped the page loop`);
        firstIds.set(firstId, page);
      }
      progress.done += 1;
      report();
      return { count, total: totalCount(response) };
    };
    const fetchPage = (page: number): Promise<LicensePage> => ahead.run(async () => digest(page, await download(page)));

    // The remaining pages start as soon as page 1's headers give the total, while page 1 itself is
    // still being read (in a sync, by a worker thread that may still be starting).
    const firstResponse = await download(1);
    const total = totalCount(firstResponse);
    const firstRead = digest(1, firstResponse);
    progress.known += 1;
    let rest: Promise<LicensePage[]> = Promise.resolve([]);
    let next = 2;
    if (total !== null && total > PER_PAGE) {
      const lastPage = Math.min(Math.ceil(total / PER_PAGE), PAGE_CAP);
      progress.known += lastPage - 1;
      report();
      rest = Promise.all(range(2, lastPage).map(fetchPage));
      next = lastPage + 1;
    }
    const pages = await Promise.all([firstRead, rest]).then(([first, others]) => [first, ...others]);
    const fetched = pages.reduce((sum, page) => sum + page.count, 0);
    const lastCount = pages[pages.length - 1]!.count;
    if (lastCount < PER_PAGE || (total !== null && fetched >= total)) return;
    // The total was missing or too small (licenses were added while we read): walk on in windows
    // until a page comes back short.
    while (next <= PAGE_CAP) {
      const window = range(next, Math.min(next + PAGE_CONCURRENCY - 1, PAGE_CAP));
      progress.known += window.length;
      const results = await Promise.all(window.map(fetchPage));
      if (results.some((result) => result.count < PER_PAGE)) return;
      next += window.length;
    }
    throw malformed(SERVICE, `more than ${PAGE_CAP} pages of licenses; stopped to avoid an endless page loop`);
  }

  private request(url: string, credentials: Credentials, run?: RunScope): JsonRequest {
    return { service: SERVICE, url, headers: this.authHeaders(credentials), run, describeError };
  }
}

function describeError(body: unknown): { code?: string; message?: string } {
  const error = body as Partial<JbError> | undefined;
  return { code: typeof error?.code === 'string' ? error.code : undefined, message: typeof error?.description === 'string' ? error.description : undefined };
}

/** X-Total-Count, when the upstream sent a usable one. */
function totalCount(response: JsonResponse<unknown>): number | null {
  const total = Number(response.headers['x-total-count']);
  return Number.isFinite(total) && total >= 0 ? total : null;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
