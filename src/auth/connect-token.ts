import { randomBytes } from 'node:crypto';

/** What every connect-link token starts with, so the hub (and a leak scanner) tells it from an API key. */
export const CONNECT_MARK = 'hubcs_';

/** A new connect-link token: the mark and 32 random bytes in base64url; only its SHA-256 is stored. */
export function newConnectToken(): string {
  return CONNECT_MARK + randomBytes(32).toString('base64url');
}

/**
 * The only routes a connect-link token may call, matched as Express routes them (any letter case,
 * an optional trailing slash) on the raw path: an encoded form of these paths is not one of them.
 */
const CONNECT_ROUTES: { methods: Set<string>; pattern: RegExp }[] = [
  { methods: new Set(['GET', 'HEAD']), pattern: /^\/connect-sessions\/current\/?$/i },
  { methods: new Set(['POST']), pattern: /^\/connect-sessions\/current\/(test|accounts)\/?$/i },
];

export function isConnectRoute(method: string, path: string): boolean {
  return CONNECT_ROUTES.some((route) => route.methods.has(method) && route.pattern.test(path));
}
