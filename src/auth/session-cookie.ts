import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The browser session's cookie (HttpOnly, SameSite=Strict, Path=/; Secure on https). */
export const SESSION_COOKIE = 'hub_session';
/** The header a cookie-authenticated write must carry. */
export const CSRF_HEADER = 'x-csrf-token';

/** A new session cookie value: 32 random bytes, base64url (256 bits; a plain SHA-256 of it is stored). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The CSRF token of a session: an HMAC keyed with the cookie value itself. Whoever holds the cookie
 * value can compute it (only the hub and the page's own GET /session, since the cookie is HttpOnly);
 * a cross-site page has neither, and the token of one session never matches another's cookie. So it
 * need not be stored, and it is the same on every replica.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('hub csrf token').digest('base64url');
}

export function csrfTokenMatches(sessionToken: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * One cookie's value from a Cookie header, or null. Values the hub sets are base64url, so nothing
 * is decoded; a cookie sent twice (one per path or domain) is refused rather than guessed between.
 */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  const values: string[] = [];
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    values.push(part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return values.length === 1 && /^[A-Za-z0-9_-]{16,128}$/.test(values[0]!) ? values[0]! : null;
}
