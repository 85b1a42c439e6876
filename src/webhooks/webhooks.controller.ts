import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiExtension, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller.decorator';
import { PageQuery } from '../common/list-query.dto';
import type { Principal } from '../auth/principal';
import { TENANT_404_RULE } from '../auth/tenant-scoped.decorator';
import {
  CreatedWebhookView,
  CreateWebhookDto,
  DeliveryPage,
  RotatedSecretView,
  UpdateWebhookDto,
  WebhookListQuery,
  WebhookPage,
  WebhookView,
} from './webhooks.dto';
import { toWebhookView, WebhooksService } from './webhooks.service';
import { DeletedView } from '../common/deleted.dto';

/** Documents that a route reads one endpoint through the caller's tenant (the service enforces it). */
const EndpointOfCallersTenant = () => ApiNotFoundResponse({ description: `WEBHOOK_NOT_FOUND: no endpoint with that id that this key may see. ${TENANT_404_RULE.replace('integrated accounts', 'integrated accounts and webhook endpoints')}` });

/**
 * Reads need a read key; every write (the default rule for non-GET) an admin key. Endpoints belong
 * to a tenant as accounts do: a tenant key sees and manages its tenant's only, and they get only
 * that tenant's events; keys without tenant see them all (see WebhooksService).
 */
@ApiTags('Webhooks')
@ApiBearerAuth()
@ApiExtension('x-hub-tenant-scoped', true)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Add a webhook endpoint',
    description:
      'The answer carries the signing secret (whsec_…) this once; it is stored sealed. Messages are signed per the Standard Webhooks spec. ' +
      "An endpoint of a tenant gets only the events of that tenant's accounts; one without tenant gets every event. " +
      'A tenant key adds endpoints to its own tenant; another tenant_id is 403 FORBIDDEN_TENANT.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  create(@Body() dto: CreateWebhookDto, @Caller() caller: Principal): Promise<CreatedWebhookView> {
    return this.webhooks.create(dto, caller);
  }

  @Get()
  @ApiOperation({ summary: "The endpoints this key sees (a tenant key: its tenant's only), ordered by id" })
  @ApiOkResponse({ type: WebhookPage })
  list(@Query() query: WebhookListQuery, @Caller() caller: Principal) {
    return this.webhooks.list(query.limit, query.next_cursor, caller, query.tenant_id);
  }

  @Get(':id')
  @EndpointOfCallersTenant()
  @ApiOkResponse({ type: WebhookView })
  async get(@Param('id') id: string, @Caller() caller: Principal): Promise<WebhookView> {
    return toWebhookView(await this.webhooks.get(id, caller));
  }

  @Patch(':id')
  @EndpointOfCallersTenant()
  @ApiOperation({ summary: 'Change url, events, description or enabled ("enabled": true resumes an endpoint the hub disabled); the tenant stays' })
  @ApiOkResponse({ type: WebhookView })
  update(@Param('id') id: string, @Body() dto: UpdateWebhookDto, @Caller() caller: Principal): Promise<WebhookView> {
    return this.webhooks.update(id, dto, caller);
  }

  @Delete(':id')
  @EndpointOfCallersTenant()
  @HttpCode(200)
  @ApiOkResponse({ type: DeletedView })
  async delete(@Param('id') id: string, @Caller() caller: Principal): Promise<{ id: string }> {
    await this.webhooks.delete(id, caller);
    return { id };
  }

  @Post(':id/test')
  @EndpointOfCallersTenant()
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook.test message to this endpoint' })
  @ApiAcceptedResponse({ schema: { type: 'object', required: ['message_id'], properties: { message_id: { type: 'string', description: 'The webhook-id of the test message (see its deliveries)' } } } })
  @ApiConflictResponse({ description: 'WEBHOOK_DISABLED: the endpoint is disabled; PATCH it with "enabled": true first' })
  test(@Param('id') id: string, @Caller() caller: Principal): Promise<{ message_id: string }> {
    return this.webhooks.test(id, caller);
  }

  @Post(':id/rotate-secret')
  @EndpointOfCallersTenant()
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret (shown once); the old one keeps signing beside it for 24 h' })
  @ApiOkResponse({ type: RotatedSecretView })
  rotateSecret(@Param('id') id: string, @Caller() caller: Principal): Promise<RotatedSecretView> {
    return this.webhooks.rotateSecret(id, caller);
  }

  @Get(':id/deliveries')
  @EndpointOfCallersTenant()
  @ApiOperation({ summary: 'Messages to this endpoint, newest first: status, attempts, last answer, next attempt' })
  @ApiOkResponse({ type: DeliveryPage })
  deliveries(@Param('id') id: string, @Query() query: PageQuery, @Caller() caller: Principal) {
    return this.webhooks.deliveries(id, query.limit, query.next_cursor, caller);
  }
}
