import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresScope } from '../auth/scope.decorator';
import { PageQuery } from '../common/list-query.dto';
import { DEFAULT_LIMIT } from '../common/list-query.dto';
import { AccountPage, AccountView, CreateAccountDto, UpdateAccountDto } from './accounts.dto';
import { AccountsService, toAccountView } from './accounts.service';

@ApiTags('Integrated accounts')
@ApiBearerAuth()
@Controller('integrated-accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @RequiresScope('admin')
  @ApiOperation({
    summary: 'Connect an account',
    description:
      'Tests the credentials upstream; stores them encrypted only when they work, then starts the initial sync. ' +
      'An organization that is connected already (same integration and organization id) is refused with 409 unless allow_duplicate is true.',
  })
  @ApiCreatedResponse({ type: AccountView })
  @ApiConflictResponse({
    description:
      'ACCOUNT_ALREADY_CONNECTED: this organization is connected already; details.existing_account_id names that account ' +
      '(PATCH it to change its credentials, or send allow_duplicate: true to connect a second account)',
  })
  async create(@Body() dto: CreateAccountDto): Promise<AccountView> {
    return toAccountView(await this.accounts.create(dto));
  }

  @Get()
  @ApiOkResponse({ type: AccountPage })
  list(@Query() query: PageQuery) {
    return this.accounts.list(query.limit, query.next_cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: AccountView })
  async get(@Param('id') id: string): Promise<AccountView> {
    return toAccountView(await this.accounts.get(id));
  }

  @Patch(':id')
  @RequiresScope('admin')
  @ApiOperation({ summary: 'Rename, or replace the credentials (tested like at connect)' })
  @ApiOkResponse({ type: AccountView })
  async update(@Param('id') id: string, @Body() dto: UpdateAccountDto): Promise<AccountView> {
    return toAccountView(await this.accounts.update(id, dto));
  }

  @Delete(':id')
  @RequiresScope('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete the account, its credentials and its synced data' })
  async delete(@Param('id') id: string): Promise<{ id: string }> {
    await this.accounts.delete(id);
    return { id };
  }

  @Post(':id/test')
  @RequiresScope('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test the stored credentials against the upstream' })
  async test(@Param('id') id: string) {
    const { account, access } = await this.accounts.test(id);
    return { ok: true, account: toAccountView(account), access };
  }
}
