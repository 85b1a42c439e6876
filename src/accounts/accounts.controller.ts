import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller.decorator';
import type { Principal } from '../auth/principal';
import { RequiresScope } from '../auth/scope.decorator';
import { TenantScoped } from '../auth/tenant-scoped.decorator';
import { DeletedView } from '../common/deleted.dto';
import { ReachesUpstream } from '../docs/openapi-decorators';
import { AccountListQuery, AccountPage, AccountTestView, AccountView, CreateAccountDto, TestCredentialsDto, TestedCredentialsView, UpdateAccountDto } from './accounts.dto';
import { AccountsService, toAccountView } from './accounts.service';

@ApiTags('Integrated accounts')
@ApiBearerAuth()
@Controller('integrated-accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @RequiresScope('admin')
  @TenantScoped({ notFound: false })
  @ReachesUpstream()
  @ApiOperation({
    summary: 'Connect an account',
    description:
      'Tests the credentials upstream; stores them encrypted only when they work, then starts the initial sync. ' +
      'An organization that is connected already in the same tenant (same integration and organization id) is refused with 409 unless allow_duplicate is true. ' +
      'A tenant key connects into its own tenant; another tenant_id is 403 FORBIDDEN_TENANT.',
  })
  @ApiCreatedResponse({ type: AccountView })
  @ApiConflictResponse({
    description:
      'ACCOUNT_ALREADY_CONNECTED: this organization is connected already; details.existing_account_id names that account ' +
      '(PATCH it to change its credentials, or send allow_duplicate: true to connect a second account)',
  })
  async create(@Body() dto: CreateAccountDto, @Caller() caller: Principal): Promise<AccountView> {
    return toAccountView(await this.accounts.create(dto, caller));
  }

  @Post('test-credentials')
  @RequiresScope('admin')
  @ReachesUpstream()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test credentials before connecting: what they give access to; nothing is stored',
    description:
      'The same checks as POST /integrated-accounts (the credential fields, then the upstream), so the answer for credentials that do not work is ' +
      'the error a connect would give: 400 VALIDATION_FAILED naming the field, 400 UPSTREAM_AUTH_FAILED (message and details.hint say what to check), ' +
      '429/502/504 when the upstream fails. Audited as credentials.tested.',
  })
  @ApiOkResponse({ type: TestedCredentialsView })
  async testCredentials(@Body() dto: TestCredentialsDto): Promise<TestedCredentialsView> {
    return { ok: true, ...(await this.accounts.testCredentials(dto.integration, dto.credentials)) };
  }

  @Get()
  @TenantScoped({ notFound: false })
  @ApiOperation({ summary: 'The accounts this key sees (a tenant key: its tenant\'s only), ordered by id' })
  @ApiOkResponse({ type: AccountPage })
  list(@Query() query: AccountListQuery, @Caller() caller: Principal) {
    return this.accounts.list(query.limit, query.next_cursor, caller, query.tenant_id);
  }

  @Get(':id')
  @TenantScoped()
  @ApiOkResponse({ type: AccountView })
  async get(@Param('id') id: string, @Caller() caller: Principal): Promise<AccountView> {
    return toAccountView(await this.accounts.get(id, caller));
  }

  @Patch(':id')
  @TenantScoped()
  @ReachesUpstream()
  @RequiresScope('admin')
  @ApiOperation({ summary: 'Rename, or replace the credentials (tested like at connect)' })
  @ApiConflictResponse({ description: 'ACCOUNT_ORGANIZATION_MISMATCH: the new credentials open another organization than the account\'s (connect it as a new account)' })
  @ApiOkResponse({ type: AccountView })
  async update(@Param('id') id: string, @Body() dto: UpdateAccountDto, @Caller() caller: Principal): Promise<AccountView> {
    return toAccountView(await this.accounts.update(id, dto, caller));
  }

  @Delete(':id')
  @TenantScoped()
  @RequiresScope('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete the account, its credentials and its synced data' })
  @ApiOkResponse({ type: DeletedView })
  async delete(@Param('id') id: string, @Caller() caller: Principal): Promise<{ id: string }> {
    await this.accounts.delete(id, caller);
    return { id };
  }

  @Post(':id/test')
  @TenantScoped()
  @ReachesUpstream()
  @RequiresScope('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test the stored credentials against the upstream' })
  @ApiOkResponse({ type: AccountTestView })
  async test(@Param('id') id: string, @Caller() caller: Principal): Promise<AccountTestView> {
    const { account, access } = await this.accounts.test(id, caller);
    return { ok: true, account: toAccountView(account), access };
  }
}
