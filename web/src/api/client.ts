import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The page's only way to the hub: openapi-fetch over the types generated from the hub's own
 * openapi.json (npm run openapi:types), same origin, with the session cookie. Cookie writes carry
 * the CSRF token the hub handed out at sign-in (or GET /session after a reload).
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrfHeader: Middleware = {
  onRequest({ request }) {
    if (csrfToken !== null && !SAFE_METHODS.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/** Signs the page out when the session ended under it (key revoked, expired): the next render shows the sign-in. */
let onSessionEnded: () => void = () => undefined;
export function whenSessionEnds(listener: () => void): void {
  onSessionEnded = listener;
}
const sessionWatch: Middleware = {
  onResponse({ response, request }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/session')) onSessionEnded();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin, credentials: 'same-origin' });
api.use(csrfHeader, sessionWatch);

/**
 * The connect page's client: the connect token as bearer, no cookie (an admin signed in in the
 * same browser must not lend their session to a customer's link).
 */
export function connectClient(token: string) {
  return createClient<paths>({ baseUrl: location.origin, credentials: 'omit', headers: { Authorization: `Bearer ${token}` } });
}
