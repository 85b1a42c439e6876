import { ROOT_PRINCIPAL } from './principal';
import { assertUntenanted } from './untenanted';

describe('assertUntenanted', () => {
  it('lets the root key and keys of no tenant through, and refuses a key of a tenant with 403', () => {
    expect(() => assertUntenanted(ROOT_PRINCIPAL, 'GET', '/admin/encryption')).not.toThrow();
    expect(() => assertUntenanted({ id: 'k', root: false, scope: 'admin', tenantId: null }, 'GET', '/admin/encryption')).not.toThrow();
    expect(() => assertUntenanted({ id: 'k', root: false, scope: 'admin', tenantId: 't-1' }, 'GET', '/admin/encryption')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_SCOPE', status: 403, message: expect.stringMatching(/GET \/admin\/encryption is hub-wide/) }),
    );
  });
});
