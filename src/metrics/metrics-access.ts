import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { bearerToken, sha256 } from '../auth/api-key';
import { assertScope, assertUntenanted } from '../auth/scope-policy';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';

/**
 * Who may read `/metrics`: HUB_METRICS_TOKEN as a bearer when it is set (a scraper's credential
 * that opens nothing else), or an admin key without tenant (metrics cover every tenant). The route
 * is @Public() for the API-key middleware, so that the token gets through it and worker replicas
 * (which answer only public routes) still expose their metrics; the check is made here instead,
 * with the authenticator's own rules (the same 401, the wrong-key limiter) for anything else.
 */
@Injectable()
export class MetricsAccess {
  private readonly tokenDigest: Buffer | null;

  constructor(
    @Inject(HUB_CONFIG) config: HubConfig,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {
    this.tokenDigest = config.metricsToken === null ? null : sha256(config.metricsToken);
  }

  async assert(req: Request): Promise<void> {
    const token = bearerToken(req.headers.authorization);
    // Digests compared in constant time: both are 32 bytes, whatever was sent.
    if (this.tokenDigest && token !== null && timingSafeEqual(sha256(token), this.tokenDigest)) return;
    const principal = await this.authenticator.authenticate(req);
    assertScope(principal, 'admin', req.method, req.path);
    assertUntenanted(principal, req.method, req.path);
  }
}
