import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Caller } from '../auth/caller.decorator';
import type { Principal } from '../auth/principal';
import { RequiresScope } from '../auth/scope.decorator';
import { PageQuery } from '../common/list-query.dto';
import { DocumentedConnectTokenOnly, ReachesUpstream } from '../docs/openapi-decorators';
import {
  ConnectAccountDto,
  ConnectSessionListItem,
  ConnectSessionPage,
  ConnectedAccountView,
  ConnectSessionView,
  ConnectTestDto,
  ConnectTestView,
  CreateConnectSessionDto,
  CurrentConnectSessionView,
} from './connect-sessions.dto';
import { ConnectSessionsService } from './connect-sessions.service';

const NOT_ALLOWED = 'INTEGRATION_NOT_ALLOWED: the link does not allow this integration; CONNECT_SESSION_SCOPE: called with an API key instead of the link\'s token';

@ApiTags('Connect links')
@Controller('connect-sessions')
export class ConnectSessionsController {
  constructor(private readonly links: ConnectSessionsService) {}

  @Post()
  @RequiresScope('admin')
  @ApiOperation({
    summary: 'Create a connect link for an end customer',
    description:
      'The link (url) opens the hub\'s connect page, which can connect one account of the allowed integrations into the tenant and read nothing else. ' +
      'The token is shown this once and stored as its SHA-256. A tenant key creates links for its own tenant only (another tenant_id: 403 FORBIDDEN_TENANT). Audited.',
  })
  @ApiCreatedResponse({ type: ConnectSessionView })
  create(@Body() dto: CreateConnectSessionDto, @Caller() caller: Principal, @Req() req: Request): Promise<ConnectSessionView> {
    return this.links.create(dto, caller, req);
  }

  @Get()
  @RequiresScope('admin')
  @ApiOperation({ summary: 'Connect links, oldest first: their status (active, used, expired, revoked), never their token. A tenant key sees its tenant\'s only' })
  @ApiOkResponse({ type: ConnectSessionPage })
  list(@Query() query: PageQuery, @Caller() caller: Principal): Promise<ConnectSessionPage> {
    return this.links.list(query.limit, query.next_cursor, caller);
  }

  @Delete(':id')
  @RequiresScope('admin')
  @ApiOperation({ summary: 'Withdraw a connect link not used yet: its token is refused from the next request on (410 CONNECT_SESSION_EXPIRED). Audited' })
  @ApiOkResponse({ type: ConnectSessionListItem })
  @ApiNotFoundResponse({ description: 'CONNECT_SESSION_NOT_FOUND: no link with that id that this key may see (another tenant\'s answers the same)' })
  @ApiConflictResponse({ description: 'CONNECT_SESSION_ENDED: the link was used, has expired or was withdrawn already' })
  revoke(@Param('id') id: string, @Caller() caller: Principal): Promise<ConnectSessionListItem> {
    return this.links.revoke(id, caller);
  }

  @Get('current')
  @DocumentedConnectTokenOnly()
  @ApiOperation({ summary: 'The link the token belongs to: its tenant, end and the integrations it allows (connect token only)' })
  @ApiOkResponse({ type: CurrentConnectSessionView })
  current(@Caller() caller: Principal): CurrentConnectSessionView {
    return this.links.current(caller);
  }

  @Post('current/test')
  @HttpCode(200)
  @DocumentedConnectTokenOnly()
  @ReachesUpstream()
  @ApiOperation({ summary: 'Test credentials for one of the link\'s integrations, storing nothing (connect token only); answers as POST /integrated-accounts/test-credentials' })
  @ApiOkResponse({ type: ConnectTestView })
  @ApiForbiddenResponse({ description: NOT_ALLOWED })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming the credential field, or UPSTREAM_AUTH_FAILED: the upstream refused the credentials (message says what to check)' })
  test(@Body() dto: ConnectTestDto, @Caller() caller: Principal): Promise<ConnectTestView> {
    return this.links.test(dto, caller);
  }

  @Post('current/accounts')
  @DocumentedConnectTokenOnly()
  @ReachesUpstream()
  @ApiOperation({
    summary: 'Connect the link\'s one account, in its tenant (connect token only)',
    description: 'Tested like POST /integrated-accounts, then stored and synced. The link is then used up (410 CONNECT_SESSION_USED); a failed attempt leaves it usable.',
  })
  @ApiCreatedResponse({ type: ConnectedAccountView })
  @ApiConflictResponse({ description: 'ACCOUNT_ALREADY_CONNECTED: the tenant has this organization connected already' })
  @ApiForbiddenResponse({ description: NOT_ALLOWED })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming the field, or UPSTREAM_AUTH_FAILED: the upstream refused the credentials (message says what to check)' })
  connect(@Body() dto: ConnectAccountDto, @Caller() caller: Principal): Promise<ConnectedAccountView> {
    return this.links.connect(dto, caller);
  }
}
