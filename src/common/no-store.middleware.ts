import type { NextFunction, Request, Response } from 'express';

/**
 * Every answer of the hub is `Cache-Control: no-store` unless a handler says otherwise (the web
 * page's own files do; the proxy passes on the upstream's header). Answers depend on who asks (the
 * key, the session, a connect link sent as a bearer header), carry people's data and CSRF tokens,
 * and without the header a browser may reuse one caller's answer for another: a connect page that
 * saw a used link's 410 showed it again for the next, valid link.
 */
export function noStoreMiddleware() {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
