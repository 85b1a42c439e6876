import { HubError } from '../common/errors';
import type { Principal } from './principal';
import { ROOT_PRINCIPAL } from './principal';
import { assertScope, assertUntenanted, requiredScope } from './scope-policy';

const read: Principal = { id: 'k1', root: false, scope: 'read', tenantId: null };
const admin: Principal = { id: 'k2', root: false, scope: 'admin', tenantId: null };

describe('scope policy', () => {
  it('needs read for GET and HEAD and admin for every other method, unless the route says otherwise', () => {
    expect(['GET', 'HEAD'].map((m) => requiredScope(m, undefined))).toEqual(['read', 'read']);
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => requiredScope(m, undefined))).toEqual(Array(5).fill('admin'));
    expect(requiredScope('GET', 'admin')).toBe('admin');
  });

  it('lets admin keys and the root key do everything, read keys only what needs read', () => {
    for (const who of [ROOT_PRINCIPAL, admin]) expect(() => assertScope(who, 'admin', 'DELETE', '/x')).not.toThrow();
    expect(() => assertScope(read, 'read', 'GET', '/x')).not.toThrow();
  });

  it('refuses a read key with 403 FORBIDDEN_SCOPE naming the scope', () => {
    const refuse = (method: string): HubError => {
      try {
        assertScope(read, 'admin', method, '/proxy/customer/licenses/assign');
      } catch (error) {
        return error as HubError;
      }
      throw new Error('not refused');
    };
    const write = refuse('POST');
    expect(write).toMatchObject({ code: 'FORBIDDEN_SCOPE', status: 403, details: { scope: 'read', required_scope: 'admin' } });
    expect(write.message).toBe('This API key has the read scope: it may only GET and HEAD, and POST /proxy/customer/licenses/assign needs an admin key');
    expect(refuse('GET').message).toBe('This API key has the read scope: GET /proxy/customer/licenses/assign needs an admin key');
  });

  it('refuses a tenant key on routes for untenanted keys only with 403 FORBIDDEN_TENANT, naming only its own tenant', () => {
    for (const who of [ROOT_PRINCIPAL, admin, read]) expect(() => assertUntenanted(who, 'POST', '/api-keys')).not.toThrow();
    const tenantAdmin: Principal = { ...admin, tenantId: 'acme' };
    expect(() => assertScope(tenantAdmin, 'admin', 'POST', '/api-keys')).not.toThrow();
    expect(() => assertUntenanted(tenantAdmin, 'POST', '/api-keys')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_TENANT', status: 403, details: { tenant_id: 'acme' } }),
    );
  });
});
