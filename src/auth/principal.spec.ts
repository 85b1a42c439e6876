import { NO_TENANT, SYSTEM, TENANT_ID_PATTERN, tenantToRead } from './principal';

describe('tenantToRead', () => {
  const acme = { tenantId: 'acme' };

  it('confines a tenant key to its own tenant, whatever it filters on', () => {
    expect(tenantToRead(acme, undefined)).toBe('acme');
    expect(tenantToRead(acme, 'acme')).toBe('acme');
    expect(tenantToRead(acme, 'globex')).toBe(NO_TENANT);
  });

  it('lets keys without tenant read every account, or the tenant they filter on', () => {
    expect(tenantToRead(SYSTEM, undefined)).toBeUndefined();
    expect(tenantToRead({ tenantId: null }, 'globex')).toBe('globex');
  });
});

describe('TENANT_ID_PATTERN', () => {
  it('takes 1 to 100 of letters, digits and . _ : -, nothing else', () => {
    for (const ok of ['a', 'acme', 'Acme-EU_2:prod.1', 'x'.repeat(100)]) expect(TENANT_ID_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', 'x'.repeat(101), 'a b', 'a/b', 'a%2F', 'é', 'a\n']) expect(TENANT_ID_PATTERN.test(bad)).toBe(false);
  });
});
