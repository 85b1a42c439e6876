import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UntenantedOnly } from '../auth/scope.decorator';
import { PageQuery } from '../common/list-query.dto';
import { CreatedWebhookView, CreateWebhookDto, DeliveryPage, RotatedSecretView, UpdateWebhookDto, WebhookPage, WebhookView } from './webhooks.dto';
import { toWebhookView, WebhooksService } from './webhooks.service';
import { DeletedView } from '../common/deleted.dto';

/**
 * Reads need a read key; every write (the default rule for non-GET) an admin key. Endpoints see
 * every account's events, so keys of a tenant may not use them (403 FORBIDDEN_TENANT) until
 * endpoints are split by tenant.
 */
@ApiTags('Webhooks')
@ApiBearerAuth()
@UntenantedOnly()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Add a webhook endpoint',
    description: 'The answer carries the signing secret (whsec_…) this once; it is stored sealed. Messages are signed per the Standard Webhooks spec.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  create(@Body() dto: CreateWebhookDto): Promise<CreatedWebhookView> {
    return this.webhooks.create(dto);
  }

  @Get()
  @ApiOkResponse({ type: WebhookPage })
  list(@Query() query: PageQuery) {
    return this.webhooks.list(query.limit, query.next_cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookView })
  async get(@Param('id') id: string): Promise<WebhookView> {
    return toWebhookView(await this.webhooks.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, events, description or enabled ("enabled": true resumes an endpoint the hub disabled)' })
  @ApiOkResponse({ type: WebhookView })
  update(@Param('id') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookView> {
    return this.webhooks.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ type: DeletedView })
  async delete(@Param('id') id: string): Promise<{ id: string }> {
    await this.webhooks.delete(id);
    return { id };
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook.test message to this endpoint' })
  @ApiAcceptedResponse({ schema: { type: 'object', required: ['message_id'], properties: { message_id: { type: 'string', description: 'The webhook-id of the test message (see its deliveries)' } } } })
  @ApiConflictResponse({ description: 'WEBHOOK_DISABLED: the endpoint is disabled; PATCH it with "enabled": true first' })
  test(@Param('id') id: string): Promise<{ message_id: string }> {
    return this.webhooks.test(id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret (shown once); the old one keeps signing beside it for 24 h' })
  @ApiOkResponse({ type: RotatedSecretView })
  rotateSecret(@Param('id') id: string): Promise<RotatedSecretView> {
    return this.webhooks.rotateSecret(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Messages to this endpoint, newest first: status, attempts, last answer, next attempt' })
  @ApiOkResponse({ type: DeliveryPage })
  deliveries(@Param('id') id: string, @Query() query: PageQuery) {
    return this.webhooks.deliveries(id, query.limit, query.next_cursor);
  }
}
