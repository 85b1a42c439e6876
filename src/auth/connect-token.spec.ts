import { isConnectRoute, newConnectToken } from './connect-token';

describe('connect-link tokens', () => {
  it('look like hubcs_ and 43 base64url characters, never twice the same', () => {
    const [a, b] = [newConnectToken(), newConnectToken()];
    expect(a).toMatch(/^hubcs_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it.each([
    ['GET', '/connect-sessions/current'],
    ['HEAD', '/connect-sessions/current'],
    ['GET', '/Connect-Sessions/Current/'],
    ['POST', '/connect-sessions/current/test'],
    ['POST', '/connect-sessions/current/accounts'],
    ['POST', '/connect-sessions/current/accounts/'],
  ])('reach %s %s', (method, path) => expect(isConnectRoute(method, path)).toBe(true));

  it.each([
    ['POST', '/connect-sessions/current'],
    ['GET', '/connect-sessions/current/accounts'],
    ['DELETE', '/connect-sessions/current'],
    ['POST', '/connect-sessions'],
    ['GET', '/connect-sessions/%63urrent'],
    ['GET', '/connect-sessions/current/../../integrations'],
    ['POST', '/connect-sessions/current/accounts/x'],
    ['GET', '/connect-sessions/currentx'],
    ['GET', '/x/connect-sessions/current'],
    ['GET', '/integrated-accounts'],
  ])('never %s %s', (method, path) => expect(isConnectRoute(method, path)).toBe(false));
});
