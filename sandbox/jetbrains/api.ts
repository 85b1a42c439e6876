import type { JbError, JbLicense, JbManagedCustomer, JbManagedTeam } from '../../src/connectors/jetbrains/jetbrains.types';
import type { SimAnswer, SimRequest } from '../shared/sim-server';
import type { JetbrainsDataset, SimToken } from './dataset';
import { formatWithOffset } from './dates';
import { PLUGINS, PRODUCTS } from './products';

type ApiAnswer = SimAnswer;

export interface ApiRequest extends SimRequest {
  /** Absolute URL of the list endpoint, for Link headers. */
  selfUrl: string;
}

export interface ApiBehaviour {
  /** What `assigned` means when omitted (reference open question 1): every license, or unassigned only. */
  assignedDefault: 'all' | 'unassigned';
  /** The org admin switched the API off (reference open question 2: status unknown; 403 chosen). */
  apiDisabled: boolean;
  /** Send X-Total-Count (true); false mimics a proxy that strips it, so clients must stop on short pages. */
  sendTotalCount: boolean;
  /**
   * Answer list pages from a cache, the way a real API answers from indexes, so a benchmark measures
   * the client rather than this simulator's array filtering. Writes through the API clear it; tests
   * that edit the dataset in place leave it off (the default).
   */
  cacheLists?: boolean;
}

const error = (status: number, code: string, description: string): ApiAnswer => ({
  status,
  body: { code, description } satisfies JbError,
});

const DAY = 86_400_000;

/** JetBrains Account API semantics over an in-memory dataset (reference §1). */
export class JetbrainsApi {
  constructor(
    public dataset: JetbrainsDataset,
    public behaviour: ApiBehaviour = { assignedDefault: 'all', apiDisabled: false, sendTotalCount: true },
    private readonly now: () => Date = () => new Date(),
  ) {}

  handle(req: ApiRequest): ApiAnswer {
    if (req.method !== 'GET') this.listCache.clear();
    const auth = this.authenticate(req.headers);
    if ('status' in auth) return auth;
    const token = auth.token;
    const segments = req.path.split('/').filter(Boolean);
    const route = `${req.method} /${segments.map((s, i) => (isParam(segments, i) ? '{}' : s)).join('/')}`;
    switch (route) {
      case 'GET /token':
        return { status: 200, body: this.tokenInfo(token) };
      case 'GET /customer/licenses':
        return this.list(req, token, token.kind === 'TEAM' ? token.teamId! : null);
      case 'GET /customer/teams/{}/licenses': {
        const teamId = Number(segments[2]);
        if (!Number.isInteger(teamId) || teamId < 1) return error(400, 'INVALID_PARAMETER', `teamId must be a positive integer: ${segments[2]}`);
        if (token.kind === 'TEAM' && token.teamId !== teamId) return error(403, 'TEAM_MISMATCH', `Token was generated for team with id ${token.teamId}`);
        if (!this.dataset.teams.some((t) => t.id === teamId)) return error(404, 'TEAM_NOT_FOUND', String(teamId));
        return this.list(req, token, teamId);
      }
      case 'GET /customer/licenses/{}': {
        const license = this.visible(token).find((l) => l.licenseId === segments[2]);
        return license ? { status: 200, body: license } : error(404, 'LICENSE_NOT_FOUND', segments[2]!);
      }
      case 'POST /customer/licenses/assign':
        return this.assign(req, token);
      case 'POST /customer/licenses/revoke':
        return this.revoke(req, token);
      case 'POST /customer/changeLicensesTeam':
        return this.changeTeam(req, token);
      case 'GET /products':
        return { status: 200, body: PRODUCTS };
      case 'GET /plugins':
        return { status: 200, body: PLUGINS };
      default:
        return error(404, 'NOT_FOUND', `No endpoint ${req.method} ${req.path}`);
    }
  }

  private authenticate(headers: ApiRequest['headers']): { token: SimToken } | ApiAnswer {
    const apiKey = single(headers['x-api-key']);
    if (!apiKey) return error(401, 'MISSING_TOKEN_HEADER', 'X-Api-Key header is required');
    const token = this.dataset.tokens.find((t) => t.apiKey === apiKey);
    const customerCode = single(headers['x-customer-code']);
    if (!token || customerCode !== String(this.dataset.customer.code)) {
      return error(401, 'INVALID_TOKEN', 'The token provided is invalid');
    }
    if (this.behaviour.apiDisabled) return error(403, 'API_DISABLED', 'The API is disabled for this organization');
    return { token };
  }

  private tokenInfo(token: SimToken): JbManagedCustomer | JbManagedTeam {
    const { customer, teams } = this.dataset;
    if (token.kind === 'TEAM') {
      const team = teams.find((t) => t.id === token.teamId)!;
      return { type: 'TEAM', team: { ...team, role: token.role === 'ADMIN' ? 'ADMIN' : 'VIEWER' }, customer };
    }
    return {
      type: 'CUSTOMER',
      code: customer.code,
      name: customer.name,
      role: token.role,
      contactFlags: { isPrimaryLicensee: false, isPrimaryTechnical: token.role === 'ADMIN', isPrimaryBilling: token.role === 'PRIMARY_CONTACT' },
      teams: teams.map((t) => ({ ...t, role: token.role === 'ADMIN' ? 'ADMIN' : 'VIEWER' })),
    };
  }

  private visible(token: SimToken): JbLicense[] {
    return token.kind === 'TEAM' ? this.dataset.licenses.filter((l) => l.team.id === token.teamId) : this.dataset.licenses;
  }

  /** Filtered license lists by filter, when `cacheLists` is on (an index, as a real API has). */
  private readonly listCache = new Map<string, JbLicense[]>();

  clearCache(): void {
    this.listCache.clear();
  }

  private filtered(key: string, compute: () => JbLicense[]): JbLicense[] {
    if (!this.behaviour.cacheLists) return compute();
    let list = this.listCache.get(key);
    if (!list) {
      list = compute();
      this.listCache.set(key, list);
    }
    return list;
  }

  private list(req: ApiRequest, token: SimToken, teamId: number | null): ApiAnswer {
    const page = intParam(req.query, 'page', 1);
    const perPage = intParam(req.query, 'perPage', 100);
    if (page === null || page < 1) return error(400, 'INVALID_PARAMETER', 'page must be an integer >= 1');
    if (perPage === null || perPage < 1 || perPage > 200) return error(400, 'INVALID_PARAMETER', 'perPage must be an integer between 1 and 200');
    const assignedText = req.query.get('assigned');
    if (assignedText !== null && !['true', 'false', 'null'].includes(assignedText)) {
      return error(400, 'INVALID_PARAMETER', 'assigned must be true, false or null');
    }
    const assigned =
      assignedText === 'true' ? true : assignedText === 'false' ? false : assignedText === 'null' ? null : this.behaviour.assignedDefault === 'all' ? null : false;
    const productCode = nullable(req.query.get('productCode'));
    const email = nullable(req.query.get('assigneeEmail'))?.toLowerCase();

    const licenses = this.filtered(`${token.apiKey}|${teamId}|${assigned}|${productCode}|${email}`, () => {
      let list = this.visible(token);
      if (teamId !== null) list = list.filter((l) => l.team.id === teamId);
      if (assigned !== null) list = list.filter((l) => (l.assignee !== undefined) === assigned);
      if (productCode) list = list.filter((l) => l.product.code === productCode);
      if (email) list = list.filter((l) => l.assignee?.type === 'USER' && l.assignee.email.toLowerCase() === email);
      return list;
    });

    const total = licenses.length;
    const items = licenses.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: items,
      headers: {
        ...(this.behaviour.sendTotalCount ? { 'X-Total-Count': String(total) } : {}),
        Link: linkHeader(req.selfUrl, req.query, page, perPage, total),
      },
    };
  }

  private assign(req: ApiRequest, token: SimToken): ApiAnswer {
    const denied = this.requireEdit(token);
    if (denied) return denied;
    const body = (req.body ?? {}) as {
      licenseId?: string;
      license?: { team?: number; productCode?: string };
      contact?: { firstName?: string; lastName?: string; email?: string };
      includeOfflineActivationCode?: boolean;
      sendEmail?: boolean;
    };
    for (const field of ['contact', 'includeOfflineActivationCode', 'sendEmail'] as const) {
      if (body[field] === undefined || body[field] === null) return error(400, 'MISSING_FIELD', `${field} must be provided`);
    }
    const contact = body.contact!;
    for (const field of ['firstName', 'lastName', 'email'] as const) {
      if (!contact[field]) return error(400, 'MISSING_FIELD', `contact.${field} must be provided`);
    }
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact.email!) || /@(mailinator|tempmail)\./i.test(contact.email!)) {
      return error(400, 'INVALID_CONTACT_EMAIL', contact.email!);
    }
    if (/[<>{}]/.test(contact.firstName! + contact.lastName!)) return error(400, 'INVALID_CONTACT_NAME', `${contact.firstName} ${contact.lastName}`);

    let license: JbLicense | undefined;
    if (body.licenseId) {
      license = this.dataset.licenses.find((l) => l.licenseId === body.licenseId);
      if (!license) return error(404, 'LICENSE_NOT_FOUND', body.licenseId);
      if (token.kind === 'TEAM' && license.team.id !== token.teamId) return error(403, 'TEAM_MISMATCH', `Token was generated for team with id ${token.teamId}`);
      if (license.assignee) return error(400, 'LICENSE_IS_NOT_AVAILABLE_TO_ASSIGN', 'ALLOCATED');
      if (license.subscription?.isOutdated || license.perpetual?.isOutdated) return error(400, 'LICENSE_IS_NOT_AVAILABLE_TO_ASSIGN', 'EXPIRED_WITHOUT_FALLBACK');
    } else if (body.license) {
      const { team, productCode } = body.license;
      if (team === undefined || !productCode) return error(400, 'MISSING_FIELD', 'license.team and license.productCode must be provided');
      if (token.kind === 'TEAM' && team !== token.teamId) return error(403, 'TEAM_MISMATCH', `Token was generated for team with id ${token.teamId}`);
      if (!this.dataset.teams.some((t) => t.id === team)) return error(404, 'TEAM_NOT_FOUND', String(team));
      if (!PRODUCTS.some((p) => p.code === productCode)) return error(404, 'PRODUCT_NOT_FOUND', productCode);
      license = this.dataset.licenses.find(
        (l) => l.team.id === team && l.product.code === productCode && !l.assignee && l.isAvailableToAssign && !l.subscription?.isOutdated,
      );
      if (!license) return error(400, 'NO_AVAILABLE_LICENSE_TO_ASSIGN', `No available license found to assign in the team ${team} with product ${productCode}`);
    } else {
      return error(400, 'MISSING_FIELD', 'Either licenseId or license must be provided');
    }
    license.assignee = { type: 'USER', name: `${contact.firstName} ${contact.lastName}`, email: contact.email! };
    license.isAvailableToAssign = false;
    license.lastSeen = { lastAssignmentDate: formatWithOffset(this.now(), 60), isOfflineCodeGenerated: Boolean(body.includeOfflineActivationCode) };
    return { status: 200 };
  }

  private revoke(req: ApiRequest, token: SimToken): ApiAnswer {
    const denied = this.requireEdit(token);
    if (denied) return denied;
    const licenseId = nullable(req.query.get('licenseId'));
    const email = nullable(req.query.get('email'))?.toLowerCase();
    const productCode = nullable(req.query.get('productCode'));
    let targets: JbLicense[];
    if (licenseId) {
      // With licenseId the other parameters are ignored (reference §1.7).
      const license = this.dataset.licenses.find((l) => l.licenseId === licenseId);
      if (!license) return error(404, 'LICENSE_NOT_FOUND', licenseId);
      targets = license.assignee ? [license] : [];
    } else if (email) {
      targets = this.dataset.licenses.filter(
        (l) => l.assignee?.type === 'USER' && l.assignee.email.toLowerCase() === email && (!productCode || l.product.code === productCode),
      );
    } else {
      return error(400, 'MISSING_FIELD', 'Either licenseId or email must be provided');
    }
    if (token.kind === 'TEAM' && targets.some((l) => l.team.id !== token.teamId)) {
      return error(403, 'TEAM_MISMATCH', `Token was generated for team with id ${token.teamId}`);
    }
    // Any license assigned less than 30 days ago blocks the whole call (reference §1.7).
    const recent = targets.find((l) => {
      const assignedAt = l.lastSeen?.lastAssignmentDate;
      return assignedAt !== undefined && this.now().getTime() - Date.parse(assignedAt) < 30 * DAY;
    });
    if (recent) return error(400, 'RECENTLY_ASSIGNED_LICENSE_IS_NOT_AVAILABLE_FOR_REVOKE', recent.licenseId);
    for (const license of targets) {
      delete license.assignee;
      delete license.lastSeen;
      license.isAvailableToAssign = true;
    }
    return { status: 200, body: { licenseIds: targets.map((l) => l.licenseId) } };
  }

  private changeTeam(req: ApiRequest, token: SimToken): ApiAnswer {
    if (token.kind === 'TEAM') {
      return error(403, 'TOKEN_TYPE_MISMATCH', 'Changing team is not possible with a token that was generated for a specific team');
    }
    const denied = this.requireEdit(token);
    if (denied) return denied;
    const body = (req.body ?? {}) as { targetTeamId?: number; licenseIds?: string[] };
    if (!Array.isArray(body.licenseIds)) return error(400, 'MISSING_FIELD', 'licenseIds must be provided');
    const targetId = Number(body.targetTeamId ?? 0);
    const target = this.dataset.teams.find((t) => t.id === targetId);
    if (!target) return error(404, 'TEAM_NOT_FOUND', String(targetId));
    const moved: string[] = [];
    for (const id of body.licenseIds) {
      const license = this.dataset.licenses.find((l) => l.licenseId === id);
      if (!license || license.team.id === targetId || !license.isTransferableBetweenTeams) continue;
      license.team = { ...target };
      moved.push(id);
    }
    return { status: 200, body: { licenseIds: moved } };
  }

  private requireEdit(token: SimToken): ApiAnswer | null {
    if (token.role === 'ADMIN') return null;
    const scope = token.kind === 'TEAM' ? `team with id ${token.teamId}` : `customer ${this.dataset.customer.code}`;
    return error(403, 'INSUFFICIENT_PERMISSIONS', `Missing Edit permission on ${scope}`);
  }
}

function isParam(segments: string[], index: number): boolean {
  // /customer/licenses/{licenseId} and /customer/teams/{teamId}/licenses
  return (
    (index === 2 && segments[1] === 'licenses' && segments.length === 3 && segments[2] !== 'assign' && segments[2] !== 'revoke') ||
    (index === 2 && segments[1] === 'teams')
  );
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function nullable(value: string | null): string | null {
  return value === null || value === '' || value === 'null' ? null : value;
}

function intParam(query: URLSearchParams, name: string, fallback: number): number | null {
  const text = query.get(name);
  if (text === null) return fallback;
  return /^-?\d+$/.test(text) ? Number(text) : null;
}

/** RFC 8288 links (the format is not documented by JetBrains, so the hub must not depend on it). */
function linkHeader(selfUrl: string, query: URLSearchParams, page: number, perPage: number, total: number): string {
  const last = Math.max(1, Math.ceil(total / perPage));
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(query);
    q.set('page', String(p));
    q.set('perPage', String(perPage));
    return `<${selfUrl}?${q.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'));
  links.push(link(last, 'last'));
  return links.join(', ');
}
