import { HubError } from '../common/errors';
import type { KeyScope, Principal } from './principal';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Writes every key may make, checked before routing (where no route's declared scope is known yet):
 * signing out ends the caller's own browser session, whatever its key may do otherwise.
 */
const WRITES_FOR_ANY_SCOPE = new Set(['DELETE /session']);

/** The scope a request needs: the route's declared one, else read for GET and HEAD and admin for the rest. */
export function requiredScope(method: string, declared: KeyScope | undefined, path?: string): KeyScope {
  if (declared) return declared;
  if (SAFE_METHODS.has(method) || (path !== undefined && WRITES_FOR_ANY_SCOPE.has(`${method} ${path.replace(/\/+$/, '')}`))) return 'read';
  return 'admin';
}

/** Throws 403 FORBIDDEN_SCOPE when the principal's scope is below what the request needs. */
export function assertScope(principal: Principal, needed: KeyScope, method: string, path: string): void {
  if (principal.scope === 'admin' || needed === 'read') return;
  const why = SAFE_METHODS.has(method)
    ? `${method} ${path} needs an admin key`
    : `it may only GET and HEAD, and ${method} ${path} needs an admin key`;
  throw new HubError('FORBIDDEN_SCOPE', `This API key has the read scope: ${why}`, {
    details: { scope: principal.scope, required_scope: needed },
  });
}

/**
 * Throws 403 FORBIDDEN_TENANT when a key confined to a tenant calls a route for untenanted keys only
 * (managing keys: a tenant key could otherwise issue itself an untenanted one). The message names
 * only the caller's own tenant.
 */
export function assertUntenanted(principal: Principal, method: string, path: string): void {
  if (principal.tenantId === null) return;
  throw new HubError(
    'FORBIDDEN_TENANT',
    `This API key belongs to tenant "${principal.tenantId}": ${method} ${path} needs an admin key without a tenant ` +
      '(HUB_API_KEY, or an admin key created without tenant_id)',
    { details: { tenant_id: principal.tenantId } },
  );
}
