import type { SimAnswer, SimRequest } from '../shared/sim-server';
import { CursorStore } from './cursors';
import { AtlassianDataset, SimApiKey, SimSurface, toV1, toV2 } from './dataset';

export interface AtlassianBehaviour {
  /** v1 pages have a server-chosen size (reference §3.4); small values exercise paging. */
  v1PageSize: number;
  /** Upper bound for v2 `limit` (unpublished upstream, open question 6): larger values are clamped. */
  v2MaxLimit: number;
  /** Host written into v1 `links.next` (the real API writes its own); a client must not follow it blindly. */
  v1LinkBase?: string;
  /** How long a cursor stays valid; an older one is stale (400 `ADMIN-400-1`). */
  cursorTtlMs: number;
  /** Per organization: which parts of v2 its API surface has (default `full`). A key's own `surface` wins. */
  orgSurfaces: Record<string, SimSurface>;
  /** How a missing endpoint answers: 404 (seen most), or 405 / 501 as some gateways do. */
  missingStatus: 404 | 405 | 501;
}

export const DEFAULT_BEHAVIOUR: AtlassianBehaviour = { v1PageSize: 100, v2MaxLimit: 100, cursorTtlMs: 15 * 60_000, orgSurfaces: {}, missingStatus: 404 };

interface V2State {
  offset: number;
  limit: number;
  claim: string | null;
  expand: string[];
}

/** The Admin API's error envelope (reference §3.7). */
export function atlError(status: number, code: string, title: string, detail?: string): SimAnswer {
  return { status, body: { errors: [{ id: `sim-${code}`, status: String(status), code, title, ...(detail ? { detail } : {}) }] } };
}

const invalidCursor = () => atlError(400, 'ADMIN-400-1', 'Invalid page cursor');

/** An endpoint this organization's API surface does not have. */
function missing(status: 404 | 405 | 501, req: SimRequest): SimAnswer {
  if (status === 405) return atlError(405, 'ADMIN-405-1', 'Method not allowed', `${req.method} ${req.path}`);
  if (status === 501) return atlError(501, 'ADMIN-501-1', 'Not implemented', `${req.method} ${req.path}`);
  return atlError(404, 'ADMIN-404-1', 'Not found', `${req.method} ${req.path}`);
}

/** Atlassian organization Admin API semantics over an in-memory dataset (reference §3). */
export class AtlassianApi {
  private offsets!: CursorStore<number>;
  private v2States!: CursorStore<V2State>;
  private _dataset!: AtlassianDataset;

  constructor(
    dataset: AtlassianDataset,
    public behaviour: AtlassianBehaviour = { ...DEFAULT_BEHAVIOUR },
  ) {
    this.dataset = dataset;
  }

  get dataset(): AtlassianDataset {
    return this._dataset;
  }

  /** A new dataset makes every cursor handed out before it stale. */
  set dataset(dataset: AtlassianDataset) {
    this._dataset = dataset;
    const ttl = () => this.behaviour.cursorTtlMs;
    this.offsets = new CursorStore(dataset.seed, ttl);
    this.v2States = new CursorStore(dataset.seed + 1, ttl);
  }

  /** Every cursor handed out so far becomes stale (a test switch). */
  expireCursors(): void {
    this.offsets.forgetAll();
    this.v2States.forgetAll();
  }

  handle(req: SimRequest): SimAnswer {
    const auth = single(req.headers['authorization']);
    const match = /^Bearer\s+(\S+)$/i.exec(auth ?? '');
    const key = match ? this.dataset.keys.find((k) => k.key === match[1]) : undefined;
    if (!key) return atlError(401, 'ADMIN-UAM-401-1', 'Unauthenticated', 'A valid organization API key is required');

    const s = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    // admin / v1|v2 / orgs / {orgId} / ...
    if (s[0] !== 'admin' || s[2] !== 'orgs') return atlError(404, 'ADMIN-404-1', 'Not found');
    if (s[1] === 'v1' && s.length === 3 && req.method === 'GET') return this.orgs(req, key);
    const orgId = s[3]!;
    if (!key.orgs.includes(orgId) || !this.dataset.orgs.some((o) => o.id === orgId)) return atlError(404, 'ADMIN-404-2', 'Organization not found');
    const rest = s.slice(4).join('/');
    const route = `${req.method} ${s[1]} ${rest.replace(/^directory\/users\/[^/]+\/last-active-dates$/, 'last-active').replace(/^directories\/[^/]+\//, 'directories/{}/')}`;
    const surface = key.surface ?? this.behaviour.orgSurfaces[orgId] ?? 'full';
    if ((surface === 'no-v2' && s[1] === 'v2') || (surface === 'no-v2-search' && route === 'POST v2 directories/{}/users/search')) {
      return missing(this.behaviour.missingStatus, req);
    }

    switch (route) {
      case 'GET v1 ':
        return { status: 200, body: { data: this.dataset.orgs.find((o) => o.id === orgId) } };
      case 'GET v1 users':
        return this.requireScope(key, 'read:accounts:admin') ?? this.v1Users(req, orgId);
      case 'GET v1 last-active':
        return this.requireScope(key, 'read:accounts:admin') ?? this.lastActive(orgId, s[6]!);
      case 'GET v2 directories':
        return this.requireScope(key, 'read:directories:admin') ?? { status: 200, body: { data: [{ directoryId: `${orgId}-dir`, name: 'Managed accounts' }], links: {} } };
      case 'GET v2 directories/{}/users':
        // The GET listing has no `expand` (reference §3.3): product access and groups come only from the search.
        return this.requireScope(key, 'read:directories:admin') ?? this.v2Users(orgId, { ...Object.fromEntries(req.query), expand: undefined });
      case 'POST v2 directories/{}/users/search':
        return this.requireScope(key, 'read:directories:admin') ?? this.v2Users(orgId, (req.body ?? {}) as Record<string, unknown>);
      case 'GET v2 directories/{}/groups':
        return this.requireScope(key, 'read:groups:admin') ?? this.groups(req, orgId);
      default:
        return atlError(404, 'ADMIN-404-1', 'Not found', `${req.method} ${req.path}`);
    }
  }

  private orgs(req: SimRequest, key: SimApiKey): SimAnswer {
    if (req.query.get('cursor')) return invalidCursor();
    const data = this.dataset.orgs.filter((o) => key.orgs.includes(o.id)).map((o) => ({ ...o, links: { self: `${req.baseUrl}/admin/v1/orgs/${o.id}` } }));
    return { status: 200, body: { data, links: { self: `${req.baseUrl}/admin/v1/orgs` } } };
  }

  /** v1: fixed page size, `links.next` a full URL with an opaque `cursor`, `meta.total`, managed accounts only. */
  private v1Users(req: SimRequest, orgId: string): SimAnswer {
    const managed = this.dataset.users[orgId]!.filter((u) => u.claimStatus === 'managed');
    const cursor = req.query.get('cursor');
    const offset = cursor ? this.offsets.resolve(cursor, 'v1-users', orgId) : 0;
    if (offset === null) return invalidCursor();
    const size = this.behaviour.v1PageSize;
    const page = managed.slice(offset, offset + size);
    const self = `${this.behaviour.v1LinkBase ?? req.baseUrl}/admin/v1/orgs/${orgId}/users`;
    const links: Record<string, string> = { self };
    const link = (at: number) => `${self}?cursor=${encodeURIComponent(this.offsets.issue('v1-users', orgId, at))}`;
    if (offset + size < managed.length) links.next = link(offset + size);
    if (offset > 0) links.prev = link(Math.max(0, offset - size));
    const sites = this.dataset.sites[orgId]!;
    return { status: 200, body: { data: page.map((u) => toV1(u, sites)), meta: { total: managed.length }, links } };
  }

  /** v2: managed and unmanaged, `limit`, `links.next` the raw cursor; a cursor overrides every other parameter. */
  private v2Users(orgId: string, params: Record<string, unknown>): SimAnswer {
    let state: V2State;
    if (params.cursor !== undefined && params.cursor !== null && params.cursor !== '') {
      const decoded = this.v2States.resolve(String(params.cursor), 'v2-users', orgId);
      if (!decoded) return invalidCursor();
      state = decoded;
    } else {
      const limit = params.limit === undefined ? 100 : Number(params.limit);
      if (!Number.isInteger(limit) || limit < 1) return atlError(400, 'ADMIN-400-24', 'Invalid request', 'limit must be a positive integer');
      const expand = Array.isArray(params.expand) ? params.expand.map(String) : typeof params.expand === 'string' ? params.expand.split(',') : [];
      state = { offset: 0, limit: Math.min(limit, this.behaviour.v2MaxLimit), claim: (params.claimStatus as string) ?? null, expand };
    }
    let users = this.dataset.users[orgId]!;
    if (state.claim) users = users.filter((u) => u.claimStatus === state.claim);
    const page = users.slice(state.offset, state.offset + state.limit);
    const expand = new Set(state.expand);
    const next = state.offset + state.limit < users.length ? this.v2States.issue('v2-users', orgId, { ...state, offset: state.offset + state.limit }) : undefined;
    const sites = this.dataset.sites[orgId]!;
    return {
      status: 200,
      body: { data: page.map((u) => toV2(u, expand, this.dataset.groups[orgId]!, sites)), links: { ...(next ? { next } : {}) } },
    };
  }

  private groups(req: SimRequest, orgId: string): SimAnswer {
    const all = this.dataset.groups[orgId]!;
    const cursor = req.query.get('cursor');
    const offset = cursor ? this.offsets.resolve(cursor, 'groups', orgId) : 0;
    if (offset === null) return invalidCursor();
    const limit = Math.min(Number(req.query.get('limit') ?? 100) || 100, this.behaviour.v2MaxLimit);
    const users = this.dataset.users[orgId]!;
    const data = all.slice(offset, offset + limit).map((g) => ({ ...g, counts: { members: users.filter((u) => u.groups.includes(g.id)).length } }));
    const next = offset + limit < all.length ? this.offsets.issue('groups', orgId, offset + limit) : undefined;
    return { status: 200, body: { data, links: { ...(next ? { next } : {}) } } };
  }

  private lastActive(orgId: string, accountId: string): SimAnswer {
    const user = this.dataset.users[orgId]!.find((u) => u.accountId === accountId);
    if (!user) return atlError(404, 'ADMIN-404-8', 'User not found');
    const sites = this.dataset.sites[orgId]!;
    const productAccess = user.products
      .filter((a) => a.lastActive !== null)
      .map((a) => ({ id: sites[a.site]!.cloudId, key: a.key, last_active: a.lastActive, last_active_timestamp: `${a.lastActive}T08:15:00Z` }));
    return {
      status: 200,
      body: { data: { product_access: productAccess, added_to_org: user.addedToOrg.slice(0, 10), added_to_org_timestamp: user.addedToOrg }, links: {} },
    };
  }

  private requireScope(key: SimApiKey, scope: string): SimAnswer | null {
    return key.scopes.includes(scope) ? null : atlError(403, 'ADMIN-403-3', 'Forbidden', `The API key does not have the scope ${scope}`);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
