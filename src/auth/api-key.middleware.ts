import type { NextFunction, Request, Response } from 'express';
import { sendError } from '../common/error-response';
import { HubError, isHubError } from '../common/errors';
import { assertScope, requiredScope } from './scope-policy';
import type { ApiKeyAuthenticator } from './api-key-authenticator';
import { isPublicRequest, PublicRoute } from './public-routes';

/**
 * The API key is checked before anything else, routes and body parsing included: without it a
 * client learns nothing (not whether a route exists, not whether its JSON is valid) and cannot
 * hold a connection open with a slow body. Covers every path (docs, unknown routes) in any case;
 * only @Public() routes pass. Any valid key (root or from POST /api-keys) passes here: scopes are
 * the guard's job, and the guard reuses the answer the request now carries.
 */
export function apiKeyMiddleware(authenticator: ApiKeyAuthenticator, publicRoutes: () => PublicRoute[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (isPublicRequest(publicRoutes(), req.method, req.path)) return next();
    authenticator.authenticate(req).then(
      (principal) => {
        // A write with a read key is refused here, before its body is read: whatever the route,
        // a method other than GET and HEAD needs an admin key (scope-policy.ts). The guard checks
        // the rest (routes that declare admin for a GET).
        try {
          assertScope(principal, requiredScope(req.method, undefined, req.path), req.method, req.path);
        } catch (error) {
          return refuse(error as HubError);
        }
        next();
      },
      (error: unknown) => {
        if (!isHubError(error)) return next(error);
        refuse(error);
      },
    );

    function refuse(error: HubError): void {
      // The body is never read: close the connection once the answer is out instead of draining it.
      res.setHeader('Connection', 'close');
      res.once('finish', () => {
        if (!req.complete) req.socket.destroySoon?.();
      });
      const headers: Record<string, string> = error.retryAfterSeconds !== undefined ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
      sendError(res, error.status, error.code, error.message, { details: error.details, headers });
    }
  };
}
