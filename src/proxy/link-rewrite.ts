/**
 * Rewrites the URLs of an upstream `Link` header (RFC 8288) that point under the connector's base
 * URL into the hub's proxy URL for the same account, so a client following `rel="next"` stays on
 * the hub (which holds the credentials) instead of calling the upstream directly. URLs elsewhere
 * are left as they are. Only headers: bodies (Atlassian's `links.next`) pass through untouched.
 *
 * `requestUrl` is the upstream URL that was called (relative references resolve against it);
 * `proxyBase` is the hub's own `…/proxy` URL as the client reached it.
 */
export interface LinkRewrite {
  upstreamBase: string;
  requestUrl: string;
  proxyBase: string;
  accountId: string;
}

export function rewriteLinkHeader(value: string | string[], rewrite: LinkRewrite): string | string[] {
  if (Array.isArray(value)) return value.map((v) => rewriteOne(v, rewrite));
  return rewriteOne(value, rewrite);
}

function rewriteOne(value: string, rewrite: LinkRewrite): string {
  const base = new URL(rewrite.upstreamBase);
  const basePath = base.pathname.replace(/\/+$/, '');
  const account = `integrated_account_id=${encodeURIComponent(rewrite.accountId)}`;
  // Only the `<URI-Reference>` parts are URLs; link parameters (`rel`, `title`) are kept verbatim.
  return value.replace(/<([^>]*)>/g, (whole, ref: string) => {
    let url: URL;
    try {
      url = new URL(ref.trim(), rewrite.requestUrl);
    } catch {
      return whole;
    }
    // Same origin and under the base path: `…/v1x` is not under `…/v1`.
    const under = url.pathname === basePath || url.pathname.startsWith(basePath + '/');
    if (url.origin !== base.origin || !under || url.username || url.password) return whole;
    const path = url.pathname.slice(basePath.length) || '/';
    const query = url.search.slice(1);
    return `<${rewrite.proxyBase}${path}?${query ? `${query}&` : ''}${account}${url.hash}>`;
  });
}
