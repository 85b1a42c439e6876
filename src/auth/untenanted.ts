import { HubError } from '../common/errors';
import type { Principal } from './principal';

/**
 * For hub-wide routes (encryption status, …): the root key or an admin key confined to no tenant.
 * The route also carries @RequiresScope('admin'), so only the tenant needs checking here.
 */
export function assertUntenanted(principal: Principal, method: string, path: string): void {
  if (principal.tenantId === null) return;
  throw new HubError('FORBIDDEN_SCOPE', `This API key belongs to a tenant: ${method} ${path} is hub-wide and needs the root key or an admin key of no tenant`, {
    details: { scope: principal.scope, tenant_id: principal.tenantId, required_scope: 'admin' },
  });
}
