import type { ProxyRequest, ProxyResponse } from '../connector.contract';
import type { UpstreamHttp } from './upstream-http';

/** RFC 9110 §7.6.1 hop-by-hop headers, plus the ones a proxy must set itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Request headers never passed on: the caller's hub key, the target host, anything the connector
 * injects, and `expect` (Node has already answered `100 Continue` to the client; undici refuses
 * the header). Also every header some front end or framework reads to re-route or re-verb a
 * request (`X-Original-URL: /admin`, `X-HTTP-Method-Override: DELETE`, `Forwarded: host=…`): the
 * proxy promises one upstream path and one method, exactly those the hub checked.
 */
const NEVER_FORWARDED = new Set([
  'authorization',
  'host',
  'cookie',
  // The hub's browser-session CSRF token: the hub's own, of no use upstream (and never to be shown to it).
  'x-csrf-token',
  'expect',
  'forwarded',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'x-cluster-client-ip',
  'x-original-url',
  'x-rewrite-url',
  'x-original-uri',
  'x-original-host',
  'x-host',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
]);
/** `X-Forwarded-For`, `-Host`, `-Proto`, `-Prefix`, `-Server`, `-Uri`, …: all of them. */
const NEVER_FORWARDED_PREFIX = 'x-forwarded-';

export function stripHopByHop(headers: Record<string, string | string[] | undefined>, extra: Set<string> = new Set()): Record<string, string | string[]> {
  const connectionListed = new Set(
    String(headers['connection'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || connectionListed.has(lower) || extra.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

/** The caller's request headers minus hop-by-hop ones, the never-forwarded set and `injected`. */
export function forwardableHeaders(headers: Record<string, string | string[] | undefined>, injected: Set<string> = new Set()): Record<string, string | string[]> {
  const kept = stripHopByHop(headers, new Set([...NEVER_FORWARDED, ...injected]));
  for (const name of Object.keys(kept)) if (name.startsWith(NEVER_FORWARDED_PREFIX)) delete kept[name];
  return kept;
}

/**
 * Sends one proxied request to `baseUrl + path` with the connector's auth headers injected
 * (overriding any the caller sent) and returns the upstream answer unchanged but for hop-by-hop
 * headers. Shared by every connector so the passthrough rules live in one place.
 */
export async function forwardToUpstream(
  http: UpstreamHttp,
  service: string,
  baseUrl: string,
  injected: Record<string, string>,
  request: ProxyRequest,
): Promise<ProxyResponse> {
  const injectedNames = new Set(Object.keys(injected).map((n) => n.toLowerCase()));
  const headers = { ...forwardableHeaders(request.headers, injectedNames), ...injected };
  const url = `${baseUrl}${request.path}${request.query ? `?${request.query}` : ''}`;
  const response = await http.forward({ url, method: request.method, headers, body: request.body, signal: request.signal }, service);
  return { status: response.status, headers: stripHopByHop(response.headers), body: response.body };
}
