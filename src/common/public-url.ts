import type { Request } from 'express';
import type { HubConfig } from '../config/hub-config';

/** A Host header that is a plain host name or address literal, with an optional port. */
const PLAIN_HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * The URL clients reach the hub at, for URLs the hub hands out: HUB_PUBLIC_URL when set; else this
 * request's scheme (X-Forwarded-Proto only with HUB_TRUST_PROXY) and Host, when the Host is a plain
 * host[:port]; else '' (a path-only reference rather than echoing a strange Host into a URL).
 */
export function publicBase(config: Pick<HubConfig, 'publicUrl'>, req: Request): string {
  if (config.publicUrl !== null) return config.publicUrl;
  const host = req.headers.host ?? '';
  return PLAIN_HOST.test(host) ? `${req.protocol}://${host}` : '';
}
