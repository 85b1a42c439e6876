import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { HubError } from '../common/errors';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { IS_PUBLIC } from './public.decorator';

/**
 * HUB_RATE_LIMIT requests a minute per key (the root key is one key), counted over all routes
 * together, in the throttler's storage. Runs after ApiKeyGuard, whose answer it reuses.
 */
@Injectable()
export class KeyRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (this.config.rateLimitPerMinute === 0) return true;
    return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return (await this.authenticator.authenticate(req as unknown as Request)).id;
  }

  /** One counter per key for the whole API (the default would count per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `key-requests:${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const wait = Math.max(1, detail.timeToBlockExpire);
    throw new HubError('RATE_LIMITED', `This API key made ${detail.limit} requests in the last minute, the most HUB_RATE_LIMIT allows; retry in ${wait} s`, {
      retryAfterSeconds: wait,
    });
  }
}
