import { HubError } from '../common/errors';

const HUB_PARAMS = new Set(['integrated_account_id']);

export interface ParsedProxyTarget {
  /** Path below the base URL, as the caller encoded it (but %2F, which is sent as a slash). */
  path: string;
  /** The caller's query string minus the hub's own parameters, order and encoding kept. */
  query: string;
  accountId: string | null;
}

/**
 * Splits `/proxy/<path>?<query>` and refuses anything that could leave the connector's base URL:
 * absolute URLs, `//host`, backslashes, `.`/`..` segments and their percent-encoded forms.
 */
export function parseProxyTarget(originalUrl: string): ParsedProxyTarget {
  const match = /^\/proxy(\/[^?#]*)?(?:\?([^#]*))?/i.exec(originalUrl);
  const rawPath = match?.[1] ?? '';
  if (!rawPath || rawPath === '/') throw unsafe('name the upstream path after /proxy/, e.g. /proxy/customer/licenses');
  // Swagger UI (and any client that treats the path as one parameter) sends its slashes as %2F:
  // they are slashes here too. Checked below on the decoded form either way.
  const path = rawPath.replace(/%2f/gi, '/');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw unsafe('the path is not valid percent-encoding');
  }
  if (/%(2e|2f|5c)/i.test(decoded)) throw unsafe('double-encoded dots or slashes are not allowed in the path');
  if (decoded.startsWith('//') || path.startsWith('//')) throw unsafe('a path starting with // would name another host');
  if (/^\/?[a-z][a-z0-9+.-]*:/i.test(decoded.slice(1))) throw unsafe('absolute URLs are not allowed; give a path relative to the API');
  if (decoded.includes('\\')) throw unsafe('backslashes are not allowed in the path');
  if (/[\u0000-\u001f\u007f]/.test(decoded)) throw unsafe('control characters are not allowed in the path');
  // `..;x` is `..` to Tomcat, Jetty and Spring (a path parameter after the segment): refused like `..`.
  if (decoded.split('/').some((segment) => /^\.{1,2}(;.*)?$/.test(segment))) throw unsafe('"." and ".." segments are not allowed');

  let accountId: string | null = null;
  const kept: string[] = [];
  for (const part of (match?.[2] ?? '').split('&')) {
    if (!part) continue;
    const name = safeDecode(part.split('=')[0]!.replace(/\+/g, ' '));
    if (HUB_PARAMS.has(name)) {
      if (name === 'integrated_account_id') {
        // Which account's credentials a write goes out with must be one answer, for the request and its audit row alike.
        if (accountId !== null) throw new HubError('VALIDATION_FAILED', 'integrated_account_id is given more than once: send it once, naming the account to act as');
        accountId = safeDecode(part.slice(part.indexOf('=') + 1).replace(/\+/g, ' '));
      }
      continue;
    }
    kept.push(part);
  }
  return { path, query: kept.join('&'), accountId };
}

/** Final check on the built URL: same origin and still under the base path. */
export function assertUnderBase(baseUrl: string, path: string): void {
  const base = new URL(baseUrl);
  const target = new URL(baseUrl + path);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (target.origin !== base.origin || !(target.pathname === basePath || target.pathname.startsWith(basePath + '/'))) {
    throw unsafe('the path leaves the API base URL');
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function unsafe(reason: string): HubError {
  return new HubError('INVALID_PROXY_PATH', `Invalid proxy path: ${reason}.`);
}
