import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { HubError } from '../common/errors';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { bearerMatches } from './api-key';
import { UNAUTHORIZED_MESSAGE } from './api-key.middleware';
import { IS_PUBLIC } from './public.decorator';

/**
 * Every route needs `Authorization: Bearer <HUB_API_KEY>` unless marked @Public(). apiKeyMiddleware
 * already refused keyless requests before routing; this stays for apps wired without it.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (bearerMatches(request.headers.authorization, this.config.apiKey)) return true;
    throw new HubError('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
  }
}
