/** The methods the proxy passes (proxy-method.ts); anything else is one label, so a client cannot mint series. */
const PROXY_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function methodLabel(method: string): string {
  const upper = method.toUpperCase();
  return PROXY_METHODS.has(upper) ? upper : 'OTHER';
}
