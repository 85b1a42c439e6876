import type { Request } from 'express';
import { publicBase } from './public-url';

const request = (host: string | undefined, protocol = 'http') => ({ headers: host === undefined ? {} : { host }, protocol }) as unknown as Request;

describe('publicBase', () => {
  it('is HUB_PUBLIC_URL when set, whatever Host the request claims', () => {
    expect(publicBase('https://hub.example.com/base', request('evil.example'))).toBe('https://hub.example.com/base');
    expect(publicBase('https://hub.example.com', request(undefined))).toBe('https://hub.example.com');
  });

  it("is the request's scheme and Host otherwise, when the Host is a plain host[:port]", () => {
    expect(publicBase(null, request('127.0.0.1:3000'))).toBe('http://127.0.0.1:3000');
    expect(publicBase(null, request('[::1]:3000', 'https'))).toBe('https://[::1]:3000');
    expect(publicBase(null, request('hub.example.com'))).toBe('http://hub.example.com');
  });

  it('is empty (a path-only reference) for a Host that is not a plain host', () => {
    for (const host of [undefined, '', 'evil.example/path', 'a b', 'user@evil.example', 'evil.example:99999999', '"><script>']) {
      expect(publicBase(null, request(host))).toBe('');
    }
  });
});
