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

/** Request headers never passed on: the caller's hub key, the target host, and anything the connector injects. */
const NEVER_FORWARDED = new Set(['authorization', 'host', 'cookie', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip']);

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
  const headers = { ...stripHopByHop(request.headers, new Set([...NEVER_FORWARDED, ...injectedNames])), ...injected };
  const url = `${baseUrl}${request.path}${request.query ? `?${request.query}` : ''}`;
  const response = await http.forward({ url, method: request.method, headers, body: request.body }, service);
  return { status: response.status, headers: stripHopByHop(response.headers), body: response.body };
}
