import type { Request } from 'express';

/** A Host header that is a plain host name or address literal, with an optional port. */
const PLAIN_HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * The URL clients reach the hub at, for URLs the hub hands out: `publicUrl` (HUB_PUBLIC_URL) when set; else this
 * request's scheme (X-Forwarded-Proto only with HUB_TRUST_PROXY) and Host, when the Host is a plain
 * host[:port]; else '' (a path-only reference rather than echoing a strange Host into a URL).
 */
export function publicBase(publicUrl: string | null, req: Request): string {
  if (publicUrl !== null) return publicUrl;
  const host = req.headers.host ?? '';
  return PLAIN_HOST.test(host) ? `${req.protocol}://${host}` : '';
}
