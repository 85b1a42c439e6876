import type { Response } from 'express';
import { HubError } from '../common/errors';

/**
 * The methods the upstream APIs use. TRACE would echo the request (credentials the hub injected
 * included) back to the caller; CONNECT and custom verbs have no meaning for a REST API.
 */
export const PROXY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const ALLOWED: ReadonlySet<string> = new Set(PROXY_METHODS);

/** Throws 405 PROXY_METHOD_NOT_ALLOWED for any other method, with the `Allow` header RFC 9110 asks for. */
export function assertProxyMethod(method: string, res: Response): void {
  if (ALLOWED.has(method)) return;
  res.setHeader('Allow', PROXY_METHODS.join(', '));
  throw new HubError('PROXY_METHOD_NOT_ALLOWED', `The proxy does not pass ${method} requests; use one of ${PROXY_METHODS.join(', ')}.`, {
    details: { method, allowed: [...PROXY_METHODS] },
  });
}
