import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeletedView } from '../common/deleted.dto';
import { PageQuery } from '../common/list-query.dto';
import { ApiKeyPage, ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';
import { RequiresScope } from './scope.decorator';

/**
 * Managing keys needs an admin key without a tenant (HUB_API_KEY or a stored untenanted admin key),
 * even to list them: a tenant key that could issue keys could issue itself an untenanted one.
 */
@ApiTags('API keys')
@ApiBearerAuth()
@RequiresScope('admin', { untenanted: true })
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Issue an API key',
    description: 'The answer carries the key itself, once: only its SHA-256 and its prefix are stored. Send it as Authorization: Bearer <key>.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  create(@Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.keys.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'The keys not revoked (never the key or its hash)' })
  @ApiOkResponse({ type: ApiKeyPage })
  list(@Query() query: PageQuery) {
    return this.keys.list(query.limit, query.next_cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: ApiKeyView })
  get(@Param('id') id: string): Promise<ApiKeyView> {
    return this.keys.get(id);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key: refused from the next request on' })
  @ApiOkResponse({ type: DeletedView })
  async revoke(@Param('id') id: string): Promise<{ id: string }> {
    await this.keys.revoke(id);
    return { id };
  }
}
