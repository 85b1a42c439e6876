import { Injectable, Logger } from '@nestjs/common';
import { Connector, UpstreamHttp, forwardToUpstream, isHubError, memoInRun, pageOfSorted } from '../../connector-kit';
import type { AuthenticationResult, ConnectorAccount, ConnectorPage, Credentials, HubConnector, PageRequest, ProxyRequest, ProxyResponse, SnapshotSink, UnifiedGroup, UnifiedLicensePlan, UnifiedUser } from '../../connector-kit';
import { JbTokenInfo, JetbrainsClient } from './jetbrains.client';
import { emailKey, LicenseAccumulator } from './jetbrains.mapper';
import { parseLicensePage, SERVICE, summarizePage } from './jetbrains.pages';
import { SnapshotWorker } from './jetbrains.snapshot-source';
import type { JbTeam } from './jetbrains.types';

interface Directory {
  token: JbTokenInfo;
  teams: JbTeam[];
  licenses: LicenseAccumulator;
}

/**
 * JetBrains licenses as a user directory. The Account API has no users endpoint: people are the
 * assignees of licenses, so every list is built from one full read of the licenses.
 */
@Connector('jetbrains')
@Injectable()
export class JetbrainsConnector implements HubConnector {
  private readonly logger = new Logger('JetbrainsConnector');

  constructor(
    private readonly client: JetbrainsClient,
    private readonly http: UpstreamHttp,
  ) {}

  async authenticate(credentials: Credentials, baseUrl: string): Promise<AuthenticationResult> {
    const token = await this.client.tokenInfo(baseUrl, credentials);
    if (token.type === 'TEAM') {
      return {
        organization: { id: String(token.customer?.code ?? credentials.customer_code), name: token.customer?.name ?? null },
        role: token.team?.role ?? null,
        teams: token.team ? [{ id: String(token.team.id), name: token.team.name ?? null, role: token.team.role ?? null }] : [],
        extra: { token_type: 'TEAM' },
      };
    }
    return {
      organization: { id: String(token.code ?? credentials.customer_code), name: token.name ?? null },
      role: token.role ?? null,
      teams: (token.teams ?? []).map((t) => ({ id: String(t.id), name: t.name ?? null, role: t.role ?? null })),
      extra: { token_type: 'CUSTOMER' },
    };
  }

  async listUsers(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedUser>> {
    const views = await memoInRun(account, 'jetbrains:users', async () => (await this.directory(account)).licenses.userViews());
    return pageOfSorted(page.includeOutdated ? views.withOutdated : views.current, page);
  }

  async listGroups(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedGroup>> {
    const { teams, licenses } = await this.directory(account);
    return pageOfSorted(licenses.groups(teams), page);
  }

  async listLicenses(account: ConnectorAccount, page: PageRequest): Promise<ConnectorPage<UnifiedLicensePlan>> {
    const { licenses } = await this.directory(account);
    return pageOfSorted(licenses.licensePlans(page), page);
  }

  /**
   * A sync: the license pages are decoded and mapped in a worker thread while the main thread
   * downloads the next ones and stores the raw licenses; the records come back serialised.
   */
  async readSnapshot(account: ConnectorAccount, sink: SnapshotSink): Promise<void> {
    const worker = new SnapshotWorker(sink);
    try {
      const token = await this.client.tokenInfo(account.baseUrl, account.credentials, account.run);
      await this.client.eachLicensePage(account.baseUrl, account.credentials, token, worker.readPage, account.run);
      await worker.writeRecords(tokenTeams(token), await this.productNames(account, [...worker.unnamedProducts]));
    } finally {
      await worker.terminate();
    }
  }

  proxy(account: ConnectorAccount, request: ProxyRequest): Promise<ProxyResponse> {
    return forwardToUpstream(this.http, SERVICE, account.baseUrl, this.client.authHeaders(account.credentials), request);
  }

  /** People are keyed by their email as emailKey() makes it: any letter case finds them. */
  normalizeUserId(id: string): string {
    return emailKey(id);
  }

  private directory(account: ConnectorAccount): Promise<Directory> {
    return memoInRun(account, 'jetbrains:directory', async () => {
      const token = await this.client.tokenInfo(account.baseUrl, account.credentials, account.run);
      const licenses = new LicenseAccumulator();
      const readPage = (body: ArrayBuffer, path: string) => {
        const items = parseLicensePage(body, path);
        licenses.add(items);
        return summarizePage(items);
      };
      await this.client.eachLicensePage(account.baseUrl, account.credentials, token, readPage, account.run);
      licenses.nameProducts(await this.productNames(account, licenses.unnamedProducts()));
      return { token, teams: tokenTeams(token), licenses };
    });
  }

  /**
   * Names for products that licenses carried without one, from the catalogue (GET /products),
   * read at most once per run or live read, and only when some license lacks its product's name.
   */
  private async productNames(account: ConnectorAccount, unnamed: string[]): Promise<ReadonlyMap<string, string>> {
    if (unnamed.length === 0) return new Map();
    try {
      const products = await memoInRun(account, 'jetbrains:products', () => this.client.products(account.baseUrl, account.credentials, account.run));
      return new Map(products.map((p) => [p.code, p.name.trim()]));
    } catch (error) {
      // Names are a nicety: a token that cannot read the catalogue still syncs, with product_name null.
      if (!isHubError(error) || error.code === 'SYNC_BUDGET_EXCEEDED') throw error;
      this.logger.warn(`product names unavailable (${error.code}): ${unnamed.length} product(s) left without a name`);
      return new Map();
    }
  }
}

/** The teams a token names: its own team, or the customer's teams. */
function tokenTeams(token: JbTokenInfo): JbTeam[] {
  return token.type === 'TEAM' ? [{ id: token.team.id, name: token.team.name }] : (token.teams ?? []).map((t) => ({ id: t.id, name: t.name }));
}
