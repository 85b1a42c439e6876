import { rewriteLinkHeader } from './link-rewrite';

const rewrite = {
  upstreamBase: 'http://127.0.0.1:4000/api/v1',
  requestUrl: 'http://127.0.0.1:4000/api/v1/customer/licenses?page=1&perPage=2',
  proxyBase: 'http://hub.local:3000/proxy',
  accountId: 'acc 1',
};

describe('rewriteLinkHeader', () => {
  it('points links under the base URL at the hub proxy for the same account, params kept', () => {
    const header =
      '<http://127.0.0.1:4000/api/v1/customer/licenses?page=2&perPage=2>; rel="next", <http://127.0.0.1:4000/api/v1/customer/licenses?page=1&perPage=2>; rel="first"';
    expect(rewriteLinkHeader(header, rewrite)).toBe(
      '<http://hub.local:3000/proxy/customer/licenses?page=2&perPage=2&integrated_account_id=acc%201>; rel="next", ' +
        '<http://hub.local:3000/proxy/customer/licenses?page=1&perPage=2&integrated_account_id=acc%201>; rel="first"',
    );
  });

  it('resolves relative references against the upstream request, and adds the account to a bare path', () => {
    expect(rewriteLinkHeader('</api/v1/products>; rel="related"', rewrite)).toBe(
      '<http://hub.local:3000/proxy/products?integrated_account_id=acc%201>; rel="related"',
    );
    expect(rewriteLinkHeader('<?page=3>; rel="next"', rewrite)).toBe(
      '<http://hub.local:3000/proxy/customer/licenses?page=3&integrated_account_id=acc%201>; rel="next"',
    );
  });

  it('leaves links elsewhere untouched: other hosts, ports, schemes, paths beside the base', () => {
    for (const header of [
      '<https://docs.example.com/api>; rel="help"',
      '<http://127.0.0.1:4001/api/v1/customer/licenses>; rel="next"',
      '<https://127.0.0.1:4000/api/v1/customer/licenses>; rel="next"',
      '<http://127.0.0.1:4000/api/v10/x>; rel="next"',
      '<http://127.0.0.1:4000/other>; rel="next"',
      '<http://user:pw@127.0.0.1:4000/api/v1/x>; rel="next"',
    ]) {
      expect(rewriteLinkHeader(header, rewrite)).toBe(header);
    }
  });

  it('works for a base URL without a path (Atlassian) and for repeated Link headers', () => {
    const atlassian = { ...rewrite, upstreamBase: 'http://127.0.0.1:5000', requestUrl: 'http://127.0.0.1:5000/admin/v1/orgs' };
    expect(rewriteLinkHeader(['<http://127.0.0.1:5000/admin/v1/orgs?cursor=abc>; rel="next"', '<https://x.example/>; rel="a"'], atlassian)).toEqual([
      '<http://hub.local:3000/proxy/admin/v1/orgs?cursor=abc&integrated_account_id=acc%201>; rel="next"',
      '<https://x.example/>; rel="a"',
    ]);
  });
});
