import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ScopeByMethod } from '../auth/scope.decorator';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { HubError } from '../common/errors';
import { AccountsService } from '../accounts/accounts.service';
import { assertUnderBase, parseProxyTarget } from './proxy-path';

/**
 * `ALL /proxy/<upstream path>`: one request passed 1-to-1 to the connector's base URL with the
 * account's credentials injected; the answer streamed back unchanged. Never retried.
 */
@ApiTags('Proxy')
@ApiBearerAuth()
@Controller('proxy')
export class ProxyController {
  constructor(private readonly accounts: AccountsService) {}

  @All('*path')
  @ScopeByMethod()
  @ApiOperation({ summary: 'Pass a request through to the upstream API (any method, query and body)' })
  @ApiQuery({ name: 'integrated_account_id', required: true })
  async forward(@Req() req: Request, @Res() res: Response): Promise<void> {
    const target = parseProxyTarget(req.originalUrl);
    if (!target.accountId) throw new HubError('VALIDATION_FAILED', 'integrated_account_id is required');
    const row = await this.accounts.get(target.accountId);
    const { connector, account } = this.accounts.connectorAccount(row);
    assertUnderBase(connector.baseUrl, target.path);
    const upstream = await connector.implementation.proxy(account, {
      method: req.method,
      path: target.path,
      query: target.query,
      headers: req.headers as Record<string, string | string[]>,
      body: hasBody(req) ? req : null,
    });
    res.status(upstream.status);
    for (const [name, value] of Object.entries(upstream.headers)) res.setHeader(name, value);
    await relay(upstream.body, res);
  }
}

/**
 * Streams the upstream body to the client with back-pressure (`pipe`). Not `stream.pipeline`: it
 * creates and aborts an AbortController per call, and building that abort's DOMException was 3% of
 * the proxy's CPU. If the upstream cuts the body the status is already sent, so closing the
 * connection is the only honest signal left; if the client goes away the upstream read stops.
 */
function relay(body: Readable, res: Response): Promise<void> {
  return new Promise((resolve) => {
    body.once('error', () => {
      res.destroy();
      resolve();
    });
    res.once('close', () => {
      if (!res.writableFinished) body.destroy();
      resolve();
    });
    body.pipe(res);
  });
}

function hasBody(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
