import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { KeyScope } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_SCOPE, UNTENANTED_ONLY } from './scope.decorator';
import { assertScope, assertUntenanted, requiredScope } from './scope-policy';

/**
 * Every route needs an API key (HUB_API_KEY or one from POST /api-keys) unless marked @Public(),
 * and a key whose scope allows it (and, for key management, no tenant): see scope-policy.ts. apiKeyMiddleware already refused requests
 * without a valid key before routing; this stays for apps wired without it, and checks the scope.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const principal = await this.authenticator.authenticate(request);
    const declared = this.reflector.getAllAndOverride<KeyScope | undefined>(REQUIRED_SCOPE, targets);
    assertScope(principal, requiredScope(request.method, declared), request.method, request.path);
    if (this.reflector.getAllAndOverride<boolean>(UNTENANTED_ONLY, targets)) assertUntenanted(principal, request.method, request.path);
    return true;
  }
}
