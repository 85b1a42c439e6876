import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ApiBadRequestResponse, ApiBearerAuth, ApiDefaultResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ReachesUpstream } from '../docs/openapi-decorators';
import { Caller } from '../auth/caller.decorator';
import type { Principal } from '../auth/principal';
import { ScopeByMethod } from '../auth/scope.decorator';
import { TenantScoped } from '../auth/tenant-scoped.decorator';
import type { Request, Response } from 'express';
import { HubError } from '../common/errors';
import { AccountsService } from '../accounts/accounts.service';
import type { HubConfig } from '../config/hub-config';
import { HUB_CONFIG } from '../config/config.token';
import { rewriteLinkHeader } from './link-rewrite';
import { ProxyExchange } from './proxy-exchange';
import { assertProxyMethod } from './proxy-method';
import { assertUnderBase, parseProxyTarget } from './proxy-path';
import { PROXY_EXCHANGED, ProxyExchangedEvent } from './proxy-events';
import { ProxySlots } from './proxy-slots';
import { publicBase } from '../common/public-url';

/**
 * `ALL /proxy/<upstream path>`: one request passed 1-to-1 to the connector's base URL with the
 * account's credentials injected; the answer streamed back unchanged but for `Link` URLs, which
 * are pointed back at the proxy. Never retried. Bounded: per-account slots, a total deadline, an
 * upload deadline, and the upstream request dies with its client (docs/reliability.md).
 */
@ApiTags('Proxy')
@ApiBearerAuth()
@TenantScoped()
@Controller('proxy')
export class ProxyController {
  private readonly slots: ProxySlots;

  constructor(
    private readonly accounts: AccountsService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly events: EventEmitter2,
  ) {
    this.slots = new ProxySlots(config.proxyConcurrency);
  }

  @All('*path')
  @ScopeByMethod()
  @ApiOperation({ summary: 'Pass a request through to the upstream API (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; any query and body)' })
  @ReachesUpstream()
  @ApiParam({
    name: 'path',
    description:
      'The upstream path below the connector\'s base URL, e.g. customer/licenses (JetBrains) or v1/orgs (Atlassian). ' +
      'Slashes may be sent as they are or encoded as %2F (as Swagger UI sends them); ".", "..", "//", backslashes and absolute URLs are refused',
    schema: { type: 'string', example: 'customer/licenses' },
  })
  @ApiQuery({ name: 'integrated_account_id', required: true, description: 'The integrated account whose credentials the request goes out with', schema: { type: 'string' } })
  @ApiDefaultResponse({ description: 'The upstream\'s answer, passed on 1-to-1 (status, headers, body; Link URLs pointed back at the proxy)' })
  @ApiBadRequestResponse({ description: 'INVALID_PROXY_PATH: the path could leave the API\'s base URL; VALIDATION_FAILED: integrated_account_id is missing' })
  async forward(@Req() req: Request, @Res() res: Response, @Caller() caller: Principal): Promise<void> {
    const measured = { integration: 'unknown', startedAt: performance.now() };
    // Whatever ends the exchange (relayed, refused by the filter, cut by either side) closes the response.
    res.once('close', () => {
      const event: ProxyExchangedEvent = { integration: measured.integration, method: req.method, status: res.headersSent ? res.statusCode : 0, durationMs: performance.now() - measured.startedAt };
      this.events.emit(PROXY_EXCHANGED, event);
    });
    assertProxyMethod(req.method, res);
    const target = parseProxyTarget(req.originalUrl);
    if (!target.accountId) throw new HubError('VALIDATION_FAILED', 'integrated_account_id is required');
    const row = await this.accounts.get(target.accountId, caller);
    measured.integration = row.integration;
    const { connector, account } = this.accounts.connectorAccount(row);
    assertUnderBase(connector.baseUrl, target.path);
    const release = this.slots.acquire(account.id);
    const limits = { totalMs: this.config.proxyTimeoutMs, uploadMs: this.config.proxyUploadTimeoutMs };
    const exchange = new ProxyExchange(req, res, limits, hasBody(req), release);
    let upstream;
    try {
      upstream = await connector.implementation.proxy(account, {
        method: req.method,
        path: target.path,
        query: target.query,
        headers: req.headers as Record<string, string | string[]>,
        body: exchange.body,
        signal: exchange.signal,
      });
    } catch (error) {
      if (exchange.clientGone) return; // nobody to answer
      throw exchange.reason ?? error;
    }
    res.status(upstream.status);
    for (const [name, value] of Object.entries(upstream.headers)) res.setHeader(name, value);
    if (upstream.headers.link) {
      res.setHeader(
        'link',
        rewriteLinkHeader(upstream.headers.link, {
          upstreamBase: account.baseUrl,
          requestUrl: `${account.baseUrl}${target.path}${target.query ? `?${target.query}` : ''}`,
          proxyBase: `${publicBase(this.config.publicUrl, req)}/proxy`,
          accountId: account.id,
        }),
      );
    }
    await exchange.relay(upstream.body);
  }
}

function hasBody(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
