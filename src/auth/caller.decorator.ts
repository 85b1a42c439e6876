import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { HubError } from '../common/errors';
import type { Principal } from './principal';

/** The principal each authenticated request carries (set by ApiKeyAuthenticator, read by @Caller()). */
const principals = new WeakMap<Request, Principal>();

export function rememberPrincipal(req: Request, principal: Principal): void {
  principals.set(req, principal);
}

export function principalOf(req: Request): Principal | undefined {
  return principals.get(req);
}

/**
 * The request's principal, for handlers that scope what they read to the caller's tenant. A route
 * without an authenticated principal (a @Public() one) has none: using it there is a bug, and it
 * fails closed instead of reading as an untenanted caller.
 */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = principalOf(context.switchToHttp().getRequest<Request>());
  if (!principal) throw new HubError('INTERNAL', 'This route has no authenticated caller');
  return principal;
});
