import type { NextFunction, Request, Response } from 'express';
import { sendError } from '../common/error-response';
import { bearerMatches } from './api-key';
import { isPublicRequest, PublicRoute } from './public-routes';

export const UNAUTHORIZED_MESSAGE = 'Missing or wrong API key: send Authorization: Bearer <HUB_API_KEY>';

/**
 * The API key is checked before anything else, routes and body parsing included: without it a
 * client learns nothing (not whether a route exists, not whether its JSON is valid) and cannot
 * hold a connection open with a slow body. Covers every path (docs, unknown routes) in any case;
 * only @Public() routes pass. ApiKeyGuard stays behind it for the routes themselves.
 */
export function apiKeyMiddleware(apiKey: string, publicRoutes: () => PublicRoute[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (bearerMatches(req.headers.authorization, apiKey) || isPublicRequest(publicRoutes(), req.method, req.path)) return next();
    // The body is never read: close the connection once the answer is out instead of draining it.
    res.setHeader('Connection', 'close');
    res.once('finish', () => {
      if (!req.complete) req.socket.destroySoon?.();
    });
    sendError(res, 401, 'UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
  };
}
