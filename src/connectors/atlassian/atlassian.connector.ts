import { Injectable } from '@nestjs/common';
import { Connector, forwardToUpstream, HubError, isHubError, memoInRun, pageOfSorted, UpstreamHttp } from '../../connector-kit';
import type {
  AuthenticationResult,
  ConnectorAccount,
  ConnectorPage,
  Credentials,
  HubConnector,
  PageRequest,
  ProxyRequest,
  ProxyResponse,
  UnifiedGroup,
  UnifiedLicensePlan,
  UnifiedUser,
} from '../../connector-kit';
import { ApiState, DirectoryUsersVia, isForbidden, isInvalidUpstreamCursor, isMissing, mappingOptions, probe, unlessUnavailable } from './atlassian.access';
import { AtlassianClient, Page, SERVICE, V2_LIMIT } from './atlassian.client';
import { mapGroups, mapLicensePlans, mapUsers } from './atlassian.mapper';
import { verifySite } from './atlassian.site-check';
import type { AtlGroup, AtlOrg, AtlUserV2 } from './atlassian.types';

/** Which list a live cursor continues. */
const LIVE_APIS = ['v2', 'v2-list', 'v1'];

interface Directory {
  users: UnifiedUser[];
  groups: AtlGroup[];
}

/**
 * Atlassian organization users. v1 gives managed accounts (billable flag, per-product last
 * activity and site); the v2 directory, when the key may read it, adds unmanaged accounts,
 * suspension and groups. Where the organization's API surface has no v2 user search, the v2
 * listing (no product access, no groups per user) stands in; with no v2 at all, v1 alone, as for a
 * key without the directory scope. Users are keyed by account_id because email can be hidden.
 */
@Connector('atlassian')
@Injectable()
export class AtlassianConnector implements HubConnector {
  constructor(
    private readonly client: AtlassianClient,
    private readonly http: UpstreamHttp,
  ) {}

  async authenticate(credentials: Credentials, baseUrl: string): Promise<AuthenticationResult> {
    const orgs = await this.client.orgs(baseUrl, credentials).catch((error) => {
      throw this.explainAuthFailure(error, credentials);
    });
    const listed = orgs.map((o) => `${o.id} (${o.attributes?.name ?? 'unnamed'})`).join(', ');
    let org: AtlOrg | undefined = orgs[0];
    if (credentials.org_id) {
      org = orgs.find((o) => o.id === credentials.org_id);
      if (!org) {
        throw new HubError('VALIDATION_FAILED', `credentials.org_id is not an organization this API key can see; it sees: ${listed || 'none'}`, {
          details: { field: 'credentials.org_id', organizations: orgs.map((o) => ({ id: o.id, name: o.attributes?.name ?? null })) },
        });
      }
    } else if (orgs.length !== 1) {
      throw new HubError(
        'VALIDATION_FAILED',
        orgs.length === 0
          ? 'This API key sees no organization; create the key in the organization it should read.'
          : `This API key sees ${orgs.length} organizations; set credentials.org_id to one of: ${listed}`,
        { details: { field: 'credentials.org_id', organizations: orgs.map((o) => ({ id: o.id, name: o.attributes?.name ?? null })) } },
      );
    }
    const orgId = org!.id;
    const [v1, search, groups] = await Promise.all([
      probe(() => this.client.v1UsersPage(baseUrl, credentials, orgId, null), false),
      probe(() => this.client.v2UsersPage(baseUrl, credentials, orgId, null, 1), true),
      probe(() => this.client.groupsPage(baseUrl, credentials, orgId, null), true),
    ]);
    // The listing is only asked when the search is not there; a 403 on the search says the scope is missing for both.
    const list = search === 'missing' ? await probe(() => this.client.v2UsersListPage(baseUrl, credentials, orgId, null, 1), true) : 'unchecked';
    const via: DirectoryUsersVia = search === 'available' ? 'search' : list === 'available' ? 'list' : null;
    if (v1 !== 'available' && !via) throw noUserList(v1, search, list);
    const site = credentials.site ? await verifySite(this.client, baseUrl, credentials, org!, v1 === 'available') : undefined;
    return {
      organization: { id: orgId, name: org!.attributes?.name ?? null },
      role: 'ORG_ADMIN',
      teams: [],
      extra: {
        managed_accounts_api: v1 === 'available',
        directory_api: via !== null,
        directory_users_via: via,
        apis: { v1_users: v1, v2_user_search: search, v2_user_list: list, v2_groups: groups },
        site: site ?? null,
        guard_enabled: mappingOptions(credentials).guard,
      },
      credentials: { ...credentials, org_id: orgId, ...(site ? { site } : {}) },
    };
  }

  async listUsers(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedUser>> {
    if (page.limit !== undefined) return this.liveUsers(account, page);
    const { users } = await this.directory(account);
    return pageOfSorted(users, page);
  }

  async listGroups(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedGroup>> {
    const { users, groups } = await this.directory(account);
    return pageOfSorted(mapGroups(groups, users), page);
  }

  async listLicenses(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedLicensePlan>> {
    const { users } = await this.directory(account);
    return pageOfSorted(mapLicensePlans(users, Date.now()), page);
  }

  proxy(account: ConnectorAccount, request: ProxyRequest): Promise<ProxyResponse> {
    return forwardToUpstream(this.http, SERVICE, account.baseUrl, this.client.authHeaders(account.credentials), request);
  }

  /** Everything, for a sync: v1 and v2 users and the groups, read once per run. */
  private directory(account: ConnectorAccount): Promise<Directory> {
    return memoInRun(account, 'atlassian:directory', async () => {
      const { baseUrl, credentials, run } = account;
      const orgId = credentials.org_id!;
      const [v1, v2, groups] = await Promise.all([
        unlessUnavailable(() => this.client.all((c) => this.client.v1UsersPage(baseUrl, credentials, orgId, c, run), run), false),
        this.directoryUsers(account),
        unlessUnavailable(() => this.client.all((c) => this.client.groupsPage(baseUrl, credentials, orgId, c, run), run), true),
      ]);
      if (v1 === null && v2 === null) {
        throw new HubError('UPSTREAM_AUTH_FAILED', `${SERVICE} no longer lets this key list users (403)`, { details: { upstream_status: 403 } });
      }
      return { users: mapUsers(v1 ?? [], v2 ?? [], mappingOptions(credentials)), groups: groups ?? [] };
    });
  }

  /** Every v2 directory user: by the search, else (where the org has no search) by the listing; null without v2. */
  private async directoryUsers(account: ConnectorAccount): Promise<AtlUserV2[] | null> {
    const { baseUrl, credentials, run } = account;
    const orgId = credentials.org_id!;
    const walk = (page: (cursor: string | null) => Promise<Page<AtlUserV2>>) => this.client.all(page, run);
    try {
      return await walk((c) => this.client.v2UsersPage(baseUrl, credentials, orgId, c, V2_LIMIT, run));
    } catch (error) {
      if (isForbidden(error)) return null;
      if (!isMissing(error)) throw error;
    }
    return unlessUnavailable(() => walk((c) => this.client.v2UsersListPage(baseUrl, credentials, orgId, c, V2_LIMIT, run)), true);
  }

  /**
   * One page read now. The connector's cursor says which API it continues (`v2:` the search,
   * `v2-list:` the listing, `v1:`) and carries the upstream's own cursor; the hub signs it before a
   * client sees it. With a site set, v1 is read: only v1 says which site a product is on.
   */
  private async liveUsers(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedUser>> {
    try {
      return await this.readLive(account, page);
    } catch (error) {
      // Atlassian's cursors expire: for the client that is a stale cursor of its own, not an upstream failure.
      if (page.cursor && isInvalidUpstreamCursor(error)) {
        throw new HubError('INVALID_CURSOR', `${SERVICE} no longer accepts this page's cursor (it expired); start the live read again without next_cursor`, {
          details: { upstream_code: 'ADMIN-400-1' },
        });
      }
      throw error;
    }
  }

  private async readLive(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedUser>> {
    const { baseUrl, credentials } = account;
    const orgId = credentials.org_id!;
    const options = mappingOptions(credentials);
    const split = page.cursor ? page.cursor.indexOf(':') : -1;
    const api = page.cursor ? page.cursor.slice(0, split) : options.site ? 'v1' : null;
    const upstream = page.cursor ? page.cursor.slice(split + 1) : null;
    if (api !== null && !LIVE_APIS.includes(api)) throw new HubError('INVALID_CURSOR', 'next_cursor does not continue an Atlassian user list; start again without it');
    const fromV2 = async (prefix: string, read: () => Promise<Page<AtlUserV2>>): Promise<ConnectorPage<UnifiedUser>> => {
      const v2 = await read();
      return { items: mapUsers([], v2.items, options), nextCursor: v2.next ? `${prefix}:${v2.next}` : null };
    };
    // Without a cursor: the search, else the listing where the org lacks the search, else v1.
    if (api === null || api === 'v2') {
      try {
        return await fromV2('v2', () => this.client.v2UsersPage(baseUrl, credentials, orgId, upstream, page.limit!));
      } catch (error) {
        if (api === 'v2' || !(isForbidden(error) || isMissing(error))) throw error;
        if (isForbidden(error)) return this.liveV1(account, null);
      }
    }
    if (api === null || api === 'v2-list') {
      try {
        return await fromV2('v2-list', () => this.client.v2UsersListPage(baseUrl, credentials, orgId, upstream, page.limit!));
      } catch (error) {
        if (api === 'v2-list' || !(isForbidden(error) || isMissing(error))) throw error;
      }
    }
    return this.liveV1(account, api === 'v1' ? upstream : null);
  }

  /** A v1 page; v1 has no limit parameter, its page size is the server's (reference §3.4). */
  private async liveV1(account: ConnectorAccount, cursor: string | null): Promise<ConnectorPage<UnifiedUser>> {
    const v1 = await this.client.v1UsersPage(account.baseUrl, account.credentials, account.credentials.org_id!, cursor);
    return { items: mapUsers(v1.items, [], mappingOptions(account.credentials)), nextCursor: v1.next ? `v1:${v1.next}` : null };
  }

  /** Says whether the key looks like a user API token (refused by the Admin API) or is just wrong. */
  private explainAuthFailure(error: unknown, credentials: Credentials): unknown {
    if (!isHubError(error) || error.code !== 'UPSTREAM_AUTH_FAILED') return error;
    const hint = /^ATATT/.test(credentials.api_key ?? '')
      ? 'This looks like a user or site API token; the Admin API needs an organization API key (admin.atlassian.com > Settings > API keys).'
      : 'The organization API key is wrong, expired or revoked.';
    return new HubError('UPSTREAM_AUTH_FAILED', error.message, { details: { ...error.details, hint } });
  }
}

/**
 * Connect fails when no user list can be read. v1 is then forbidden (a missing v1 is a real failure,
 * thrown by its probe), so the key needs a scope; the message also says what the org's v2 lacks.
 */
function noUserList(v1: ApiState, search: ApiState, list: ApiState): HubError {
  const why = `v1 users ${v1}, v2 user search ${search}${list === 'unchecked' ? '' : `, v2 user listing ${list}`}`;
  const fix = search === 'forbidden' ? 'give the key the read:accounts:admin or read:directories:admin scope' : 'this organization has no v2 user list, so give the key the read:accounts:admin scope';
  // The hint is what reaches the client's message (the hub words the rest), so it carries the why.
  const hint = `The key can read no user list (${why}): ${fix}.`;
  return new HubError('UPSTREAM_AUTH_FAILED', `${SERVICE} refused to list users with this key (403; ${why})`, {
    details: { upstream_status: 403, apis: { v1_users: v1, v2_user_search: search, v2_user_list: list }, hint },
  });
}
