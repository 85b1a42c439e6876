import { csrfTokenFor, csrfTokenMatches, newSessionToken, readCookie } from './session-cookie';

describe('session cookie', () => {
  it('reads the one hub_session cookie among others', () => {
    const token = newSessionToken();
    expect(readCookie(`a=1; hub_session=${token}; b=2`, 'hub_session')).toBe(token);
    expect(readCookie(`hub_session="${token}"`, 'hub_session')).toBe(token);
    expect(readCookie('a=1', 'hub_session')).toBeNull();
    expect(readCookie(undefined, 'hub_session')).toBeNull();
    expect(readCookie('xhub_session=abcdefghijklmnopqrstuvwxyz', 'hub_session')).toBeNull();
  });

  it('refuses a cookie sent twice and values the hub never sets', () => {
    const [a, b] = [newSessionToken(), newSessionToken()];
    expect(readCookie(`hub_session=${a}; hub_session=${b}`, 'hub_session')).toBeNull();
    expect(readCookie('hub_session=short', 'hub_session')).toBeNull();
    expect(readCookie('hub_session=has spaces and $ signs 0123456789', 'hub_session')).toBeNull();
  });

  it('binds the CSRF token to its session', () => {
    const [a, b] = [newSessionToken(), newSessionToken()];
    expect(csrfTokenFor(a)).toBe(csrfTokenFor(a));
    expect(csrfTokenFor(a)).not.toBe(csrfTokenFor(b));
    expect(csrfTokenMatches(a, csrfTokenFor(a))).toBe(true);
    expect(csrfTokenMatches(a, csrfTokenFor(b))).toBe(false);
    expect(csrfTokenMatches(a, undefined)).toBe(false);
    expect(csrfTokenMatches(a, [csrfTokenFor(a)])).toBe(false);
    expect(csrfTokenMatches(a, '')).toBe(false);
    expect(csrfTokenFor(a)).not.toContain(a);
  });
});
