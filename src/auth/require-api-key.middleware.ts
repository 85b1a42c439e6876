import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isHubError } from '../common/errors';
import { hubErrorBody } from '../common/http-exception.filter';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/**
 * The key check for paths outside Nest's routes (the OpenAPI docs) or ahead of them (before the body
 * parser): the same authentication as the guard, whose answer the request then carries, in the
 * hub's error shape. Scopes are the guard's job: any valid key passes here.
 */
export function requireApiKey(app: INestApplication): RequestHandler {
  const authenticator = app.get(ApiKeyAuthenticator);
  return (req: Request, res: Response, next: NextFunction) => {
    authenticator.authenticate(req).then(
      () => next(),
      (error: unknown) => {
        if (!isHubError(error)) return next(error);
        if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
        res.status(error.status).json(hubErrorBody(error));
      },
    );
  };
}
