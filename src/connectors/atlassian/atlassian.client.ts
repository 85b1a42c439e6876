import { Injectable } from '@nestjs/common';
import { HubError, JsonRequest, malformed, UpstreamHttp } from '../../connector-kit';
import type { Credentials, RunScope } from '../../connector-kit';
import { isInvalidUpstreamCursor } from './atlassian.access';
import type { AtlErrorBody, AtlGroup, AtlOrg, AtlUserV1, AtlUserV2, AtlV1Page, AtlV2Page } from './atlassian.types';

export const SERVICE = 'Atlassian';
/** Page size asked of v2 lists (bounds unpublished, reference open question 6). */
export const V2_LIMIT = 100;
const PAGE_CAP = 10_000;
export const EXPAND = ['productAccess', 'groups'];

export interface Page<T> {
  items: T[];
  /** The upstream's cursor for the next page, null at the end. */
  next: string | null;
}

/**
 * Atlassian organization Admin API over HTTP: bearer key, v1 cursors (URLs) and v2 cursors (raw).
 * A `links.next` URL is never followed as is: only its `cursor` is taken, so a response cannot send
 * the hub, and the key, to another host.
 */
@Injectable()
export class AtlassianClient {
  constructor(private readonly http: UpstreamHttp) {}

  authHeaders(credentials: Credentials): Record<string, string> {
    return { Authorization: `Bearer ${credentials.api_key}` };
  }

  async orgs(baseUrl: string, credentials: Credentials): Promise<AtlOrg[]> {
    const { body } = await this.http.json<AtlV1Page<AtlOrg>>(this.request(`${baseUrl}/admin/v1/orgs`, credentials));
    if (!Array.isArray(body?.data)) throw malformed(SERVICE, 'GET /admin/v1/orgs has no data list');
    return body.data;
  }

  async v1UsersPage(baseUrl: string, credentials: Credentials, orgId: string, cursor: string | null, run?: RunScope): Promise<Page<AtlUserV1>> {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const { body } = await this.http.json<AtlV1Page<AtlUserV1>>(this.request(`${baseUrl}/admin/v1/orgs/${encodeURIComponent(orgId)}/users${query}`, credentials, run));
    if (!Array.isArray(body?.data)) throw malformed(SERVICE, 'the v1 users page has no data list');
    return { items: body.data, next: cursorFromUrl(body.links?.next) };
  }

  async v2UsersPage(baseUrl: string, credentials: Credentials, orgId: string, cursor: string | null, limit: number, run?: RunScope): Promise<Page<AtlUserV2>> {
    const url = `${baseUrl}/admin/v2/orgs/${encodeURIComponent(orgId)}/directories/-/users/search`;
    // With a cursor the upstream ignores every other parameter (reference §3.4).
    const body = cursor ? { cursor } : { limit, expand: EXPAND };
    // A search is a read even though it is a POST: safe to retry.
    const response = await this.http.json<AtlV2Page<AtlUserV2>>({ ...this.request(url, credentials, run), method: 'POST', body, retry: true });
    if (!Array.isArray(response.body?.data)) throw malformed(SERVICE, 'the v2 users page has no data list');
    return { items: response.body.data, next: response.body.links?.next || null };
  }

  /**
   * The v2 directory listing (GET, deprecated after June 2027 but still there where the search is
   * not): same users, but no `expand`, so no product access and no groups per user.
   */
  async v2UsersListPage(baseUrl: string, credentials: Credentials, orgId: string, cursor: string | null, limit: number, run?: RunScope): Promise<Page<AtlUserV2>> {
    // With a cursor the upstream ignores every other parameter (reference §3.4).
    const query = new URLSearchParams(cursor ? { cursor } : { limit: String(limit) });
    const url = `${baseUrl}/admin/v2/orgs/${encodeURIComponent(orgId)}/directories/-/users?${query}`;
    const { body } = await this.http.json<AtlV2Page<AtlUserV2>>(this.request(url, credentials, run));
    if (!Array.isArray(body?.data)) throw malformed(SERVICE, 'the v2 users list page has no data list');
    return { items: body.data, next: body.links?.next || null };
  }

  async groupsPage(baseUrl: string, credentials: Credentials, orgId: string, cursor: string | null, run?: RunScope): Promise<Page<AtlGroup>> {
    const query = new URLSearchParams({ limit: String(V2_LIMIT), counts: 'true', ...(cursor ? { cursor } : {}) });
    const url = `${baseUrl}/admin/v2/orgs/${encodeURIComponent(orgId)}/directories/-/groups?${query}`;
    const { body } = await this.http.json<AtlV2Page<AtlGroup>>(this.request(url, credentials, run));
    if (!Array.isArray(body?.data)) throw malformed(SERVICE, 'the groups page has no data list');
    return { items: body.data, next: body.links?.next || null };
  }

  /**
   * Follows a cursor list to its end, guarded against a cursor that repeats; or, with `until`,
   * stops after the first page for which it returns true. Atlassian's cursors expire: when one
   * does mid-walk (400 `ADMIN-400-1`), the walk starts over once, since a cursor cannot be renewed.
   */
  async all<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, run?: RunScope, until?: (page: T[]) => boolean): Promise<T[]> {
    try {
      return await this.walk(fetchPage, run, until);
    } catch (error) {
      if (!(error instanceof StaleCursor)) throw error;
      try {
        return await this.walk(fetchPage, run, until);
      } catch (again) {
        throw again instanceof StaleCursor ? again.cause : again;
      }
    }
  }

  private async walk<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, run?: RunScope, until?: (page: T[]) => boolean): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let pages = 1; pages <= PAGE_CAP; pages++) {
      const page: Page<T> = await fetchPage(cursor).catch((error) => {
        throw cursor !== null && isInvalidUpstreamCursor(error) ? new StaleCursor(error) : error;
      });
      items.push(...page.items);
      run?.reportPages(pages, null);
      // `until` sees every page, the last one too (it may be what the caller looks for).
      const done = until?.(page.items) ?? false;
      if (!page.next || done) return items;
      if (seen.has(page.next)) throw malformed(SERVICE, 'a page cursor repeated; stopped the page loop');
      seen.add(page.next);
      cursor = page.next;
    }
    throw malformed(SERVICE, `more than ${PAGE_CAP} pages; stopped the page loop`);
  }

  private request(url: string, credentials: Credentials, run?: RunScope): JsonRequest {
    return { service: SERVICE, url, headers: this.authHeaders(credentials), run, describeError };
  }
}

function describeError(body: unknown): { code?: string; message?: string } {
  const first = (body as AtlErrorBody | undefined)?.errors?.[0];
  const message = [first?.title, first?.detail].filter(Boolean).join(': ');
  return { code: first?.code, message: message || undefined };
}

/** A cursor the upstream no longer knows, met after the first page of a walk. */
class StaleCursor extends Error {
  constructor(override readonly cause: unknown) {
    super('stale cursor');
  }
}

/** v1 `links.next` is a URL; only its `cursor` parameter is used. */
export function cursorFromUrl(next: string | undefined): string | null {
  if (!next) return null;
  try {
    return new URL(next, 'https://api.atlassian.com').searchParams.get('cursor');
  } catch {
    throw new HubError('UPSTREAM_MALFORMED_RESPONSE', `${SERVICE} sent a links.next that is not a URL`);
  }
}
