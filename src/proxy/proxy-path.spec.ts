import { assertUnderBase, parseProxyTarget } from './proxy-path';

describe('parseProxyTarget', () => {
  it('keeps the path and query as sent, minus the hub parameter', () => {
    expect(parseProxyTarget('/proxy/customer/licenses?perPage=2&integrated_account_id=abc&assigneeEmail=a%40b.c')).toEqual({
      path: '/customer/licenses',
      query: 'perPage=2&assigneeEmail=a%40b.c',
      accountId: 'abc',
    });
    expect(parseProxyTarget('/proxy/products?integrated_account_id=x')).toEqual({ path: '/products', query: '', accountId: 'x' });
    expect(parseProxyTarget('/proxy/customer/licenses/ABC%20123')).toMatchObject({ path: '/customer/licenses/ABC%20123' });
    // Routing is case-insensitive; so is the prefix here. A ";" that is not after a dot segment is data.
    expect(parseProxyTarget('/PROXY/products?integrated_account_id=x')).toMatchObject({ path: '/products', accountId: 'x' });
    expect(parseProxyTarget('/proxy/a;b/c')).toMatchObject({ path: '/a;b/c' });
  });

  it('takes %2F for a slash, as Swagger UI sends the path parameter', () => {
    expect(parseProxyTarget('/proxy/customer%2Flicenses?integrated_account_id=x')).toEqual({ path: '/customer/licenses', query: '', accountId: 'x' });
    expect(parseProxyTarget('/proxy/v1%2forgs%2F')).toMatchObject({ path: '/v1/orgs/' });
  });

  it.each([
    '/proxy',
    '/proxy/',
    '/proxy/../x',
    '/proxy/a/%2E%2E/x',
    '/proxy/%252e%252e/x',
    '/proxy//evil.example',
    '/proxy/%2f%2fevil.example',
    '/proxy/http://evil.example',
    '/proxy/javascript:alert(1)',
    '/proxy/a%5Cb',
    '/proxy/a/./b',
    '/proxy/a%00b',
    '/proxy/%E0%A4%A',
    '/proxy/..;/..;/admin',
    '/proxy/a/.;jsessionid=1/b',
    '/proxy/%2e%2e;x/admin',
    '/proxy/a%2F..%2Fb',
    '/proxy/%2F%2Fevil.example',
    '/proxy/%2Fevil.example%2F..',
  ])('refuses %s', (url) => {
    expect(() => parseProxyTarget(url)).toThrow(/Invalid proxy path/);
  });
});

describe('assertUnderBase', () => {
  it('accepts paths under the base and refuses anything else', () => {
    expect(() => assertUnderBase('https://account.jetbrains.com/api/v1', '/customer/licenses')).not.toThrow();
    expect(() => assertUnderBase('https://account.jetbrains.com/api/v1', '@evil.example/x')).toThrow();
    expect(() => assertUnderBase('https://account.jetbrains.com/api/v1', '/../../x')).toThrow();
  });
  it('refuses integrated_account_id given twice (which account a write acts as must be one answer)', () => {
    expect(() => parseProxyTarget('/proxy/products?integrated_account_id=a&integrated_account_id=b')).toThrow(/more than once/);
    expect(() => parseProxyTarget('/proxy/products?integrated_account_id=a&integrated_%61ccount_id=a')).toThrow(/more than once/);
  });
});
