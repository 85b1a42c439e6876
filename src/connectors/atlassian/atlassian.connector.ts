import { Injectable } from '@nestjs/common';
import { HubError, isHubError } from '../../common/errors';
import { Connector } from '../../hub/connector.decorator';
import type {
  AuthenticationResult,
  ConnectorAccount,
  ConnectorPage,
  Credentials,
  HubConnector,
  PageRequest,
  ProxyRequest,
  ProxyResponse,
} from '../../hub/connector.contract';
import { memoInRun, pageOfSorted } from '../../hub/connector-paging';
import { forwardToUpstream } from '../../hub/http/proxy-forwarding';
import { UpstreamHttp } from '../../hub/http/upstream-http';
import type { UnifiedGroup, UnifiedLicensePlan, UnifiedUser } from '../../hub/unified.types';
import { AtlassianClient, SERVICE, V2_LIMIT } from './atlassian.client';
import { mapGroups, mapLicensePlans, mapUsers } from './atlassian.mapper';
import type { AtlGroup, AtlOrg } from './atlassian.types';

interface Directory {
  users: UnifiedUser[];
  groups: AtlGroup[];
}

/** A 403 means the key lacks the scope for that API; the connector then does without it. */
const isForbidden = (error: unknown) => isHubError(error) && error.details?.upstream_status === 403;

/**
 * Atlassian organization users. v1 gives managed accounts (billable flag, per-product last
 * activity); the v2 directory, when the key may read it, adds unmanaged accounts, suspension and
 * groups. Users are keyed by account_id because email can be hidden.
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
    const [v1, v2] = await Promise.all([
      this.probe(() => this.client.v1UsersPage(baseUrl, credentials, orgId, null)),
      this.probe(() => this.client.v2UsersPage(baseUrl, credentials, orgId, null, 1)),
    ]);
    if (!v1 && !v2) {
      throw new HubError('UPSTREAM_AUTH_FAILED', `${SERVICE} refused to list users with this key (403)`, {
        details: { upstream_status: 403, hint: 'Give the key the read:accounts:admin or read:directories:admin scope.' },
      });
    }
    return {
      organization: { id: orgId, name: org!.attributes?.name ?? null },
      role: 'ORG_ADMIN',
      teams: [],
      extra: { managed_accounts_api: v1, directory_api: v2 },
      credentials: { ...credentials, org_id: orgId },
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
      const optional = <T>(read: () => Promise<T[]>) => read().catch((error) => (isForbidden(error) ? null : Promise.reject(error)));
      const [v1, v2, groups] = await Promise.all([
        optional(() => this.client.all((c) => this.client.v1UsersPage(baseUrl, credentials, orgId, c, run), run)),
        optional(() => this.client.all((c) => this.client.v2UsersPage(baseUrl, credentials, orgId, c, V2_LIMIT, run), run)),
        optional(() => this.client.all((c) => this.client.groupsPage(baseUrl, credentials, orgId, c, run), run)),
      ]);
      if (v1 === null && v2 === null) {
        throw new HubError('UPSTREAM_AUTH_FAILED', `${SERVICE} no longer lets this key list users (403)`, { details: { upstream_status: 403 } });
      }
      return { users: mapUsers(v1 ?? [], v2 ?? []), groups: groups ?? [] };
    });
  }

  /**
   * One page read now. The connector's cursor says which API it continues (`v2:` or `v1:`) and
   * carries the upstream's own cursor; the hub signs it before a client sees it.
   */
  private async liveUsers(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedUser>> {
    const { baseUrl, credentials } = account;
    const orgId = credentials.org_id!;
    const [api, upstream] = page.cursor ? [page.cursor.slice(0, 2), page.cursor.slice(3)] : [null, null];
    if (api !== 'v1') {
      try {
        const v2 = await this.client.v2UsersPage(baseUrl, credentials, orgId, upstream, page.limit!);
        return { items: mapUsers([], v2.items), nextCursor: v2.next ? `v2:${v2.next}` : null };
      } catch (error) {
        if (api === 'v2' || !isForbidden(error)) throw error;
      }
    }
    const v1 = await this.client.v1UsersPage(baseUrl, credentials, orgId, upstream);
    return { items: mapUsers(v1.items, []), nextCursor: v1.next ? `v1:${v1.next}` : null };
  }

  private async probe(read: () => Promise<unknown>): Promise<boolean> {
    try {
      await read();
      return true;
    } catch (error) {
      if (isForbidden(error)) return false;
      throw error;
    }
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

