import { HubError } from '../common/errors';
import type { KeyScope, Principal } from './principal';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The scope a request needs: the route's declared one, else read for GET and HEAD and admin for the rest. */
export function requiredScope(method: string, declared: KeyScope | undefined): KeyScope {
  return declared ?? (SAFE_METHODS.has(method) ? 'read' : 'admin');
}

/** Throws 403 FORBIDDEN_SCOPE when the principal's scope is below what the request needs. */
export function assertScope(principal: Principal, needed: KeyScope, method: string, path: string): void {
  // Later: a key with a tenant will not manage keys or reach other tenants' accounts.
  if (principal.scope === 'admin' || needed === 'read') return;
  const why = SAFE_METHODS.has(method)
    ? `${method} ${path} needs an admin key`
    : `it may only GET and HEAD, and ${method} ${path} needs an admin key`;
  throw new HubError('FORBIDDEN_SCOPE', `This API key has the read scope: ${why}`, {
    details: { scope: principal.scope, required_scope: needed },
  });
}
