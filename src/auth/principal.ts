export type KeyScope = 'admin' | 'read';
export const KEY_SCOPES: readonly KeyScope[] = ['admin', 'read'];

/** Who a request authenticated as: the root key (HUB_API_KEY) or a stored key. */
export interface Principal {
  /** 'root' for HUB_API_KEY, else the key's id. */
  id: string;
  root: boolean;
  scope: KeyScope;
  /** Null: not confined to a tenant (the root key never is). */
  tenantId: string | null;
  /**
   * Set for a connect-link token (hubcs_…): the link's id and the integrations it may connect (null:
   * every one). Such a principal reaches only the /connect-sessions/current routes.
   */
  connect?: { sessionId: string; integrations: string[] | null; expiresAt: string };
}

export const ROOT_PRINCIPAL: Principal = Object.freeze({ id: 'root', root: true, scope: 'admin', tenantId: null });

/**
 * What a lookup may see: a tenant's accounts only (tenantId set), or every account (null). A
 * request's Principal is one; lookups take it as a required argument so that no read of an account
 * can forget the caller's tenant.
 */
export type Viewer = Pick<Principal, 'tenantId'>;

/** The hub's own work (sync runs, the scheduler, re-reads of a row already checked): sees every tenant. */
export const SYSTEM: Viewer = Object.freeze({ tenantId: null });

/** What a viewer may read under a `tenant_id` filter naming another tenant: nothing at all. */
export const NO_TENANT = Symbol('no tenant visible');

/**
 * The tenant a cross-account read (accounts, people) covers: a tenant key's own, whatever it asks
 * for (another tenant: NO_TENANT, an empty answer as if that tenant had nothing); for keys without
 * tenant the filter's, or undefined for every account.
 */
export function tenantToRead(viewer: Viewer, filter: string | undefined): string | undefined | typeof NO_TENANT {
  if (viewer.tenantId === null) return filter;
  return filter === undefined || filter === viewer.tenantId ? viewer.tenantId : NO_TENANT;
}

/** A tenant id as clients choose it: 1..100 of letters, digits and `._:-` (safe in URLs, logs and cursors). */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
export const TENANT_ID_RULE = 'tenant_id must be 1 to 100 characters of letters, digits, ".", "_", ":" or "-"';
