import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HubError } from '../common/errors';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { IS_PUBLIC } from './public.decorator';

/**
 * A HUB_ROLE=worker replica runs sync jobs and answers only /health and /metrics: an API call that reaches it
 * (a load balancer set up wrong) is told where to go instead of being served beside the syncs.
 */
@Injectable()
export class WorkerRoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.config.role !== 'worker') return true;
    // Health and metrics only (what probes and scrapers ask every replica): other public routes
    // (signing in) are API calls.
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic && /^\/(health|metrics)(\/|$)/i.test(context.switchToHttp().getRequest<{ path: string }>().path)) return true;
    throw new HubError('NOT_FOUND', 'This hub replica only runs sync jobs (HUB_ROLE=worker); send API calls to a replica with HUB_ROLE=api or all');
  }
}
