import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DEFAULT_INACTIVE_DAYS, MAX_INACTIVE_DAYS } from '../seats/seat-rules';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../auth/principal';
import { PageQuery } from '../common/list-query.dto';

export class CreateAccountDto {
  @ApiProperty({ example: 'jetbrains', description: 'Connector id from GET /integrations' })
  @IsString()
  @Length(1, 64)
  integration: string;

  @ApiPropertyOptional({ example: 'Acme JetBrains', description: 'Defaults to the integration and organization name' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
    example: { customer_code: '1234567', api_key: '<token>' },
    description: "The connector's credential fields (see GET /integrations); secret ones are stored encrypted and never returned",
  })
  @IsDefined()
  @IsObject()
  credentials: Record<string, string | boolean>;

  @ApiPropertyOptional({
    default: false,
    description:
      'Connect even when this organization is connected already (same integration and organization id). Without it, ' +
      'such a connect answers 409 ACCOUNT_ALREADY_CONNECTED with details.existing_account_id',
  })
  @IsOptional()
  @IsBoolean({ message: 'allow_duplicate must be true or false' })
  allow_duplicate?: boolean;

  @ApiPropertyOptional({
    example: 'acme',
    pattern: TENANT_ID_PATTERN.source,
    description:
      'The tenant the account belongs to. A key without tenant may set any (left out: no tenant, seen by keys without tenant only); ' +
      "a tenant key's accounts always go to its own tenant: another tenant_id is refused with 403 FORBIDDEN_TENANT",
  })
  @IsOptional()
  @IsString({ message: TENANT_ID_RULE })
  @Matches(TENANT_ID_PATTERN, { message: TENANT_ID_RULE })
  tenant_id?: string;
}

export class AccountListQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'acme',
    description: "Only this tenant's accounts. A tenant key sees its own tenant's only, whatever this says (another tenant: an empty list)",
  })
  @IsOptional()
  @IsString({ message: TENANT_ID_RULE })
  @Matches(TENANT_ID_PATTERN, { message: TENANT_ID_RULE })
  tenant_id?: string;
}

export class UpdateAccountDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
    description: 'New credentials, tested against the upstream before they replace the old ones',
  })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, string>;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_INACTIVE_DAYS,
    description: `The inactivity window of the account's change feed: a seat.reclaimable change is recorded when a seat turns reclaimable by it (default ${DEFAULT_INACTIVE_DAYS})`,
  })
  @IsOptional()
  @IsInt({ message: `inactive_days must be a whole number of days between 1 and ${MAX_INACTIVE_DAYS}` })
  @Min(1, { message: `inactive_days must be a whole number of days between 1 and ${MAX_INACTIVE_DAYS}` })
  @Max(MAX_INACTIVE_DAYS, { message: `inactive_days must be a whole number of days between 1 and ${MAX_INACTIVE_DAYS}` })
  inactive_days?: number;
}

export class AccountAccessView {
  @ApiProperty({ example: { id: '1234567', name: 'Acme GmbH' } })
  organization: { id: string; name: string | null };
  @ApiProperty({ nullable: true, example: 'ADMIN' })
  role: string | null;
  @ApiProperty({ example: [{ id: '2573297', name: 'Backend', role: 'ADMIN' }] })
  teams: { id: string; name: string | null; role?: string | null }[];
  @ApiPropertyOptional({ example: { token_type: 'CUSTOMER' } })
  extra?: Record<string, unknown>;
}

export class AccountView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'jetbrains' }) integration: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, description: 'The tenant it belongs to; null: none (seen by keys without tenant only)' })
  tenant_id: string | null;
  @ApiProperty({ enum: ['active', 'needs_reauth'] }) status: string;
  @ApiProperty({ type: AccountAccessView }) access: AccountAccessView;
  @ApiProperty({ nullable: true, type: String }) last_synced_at: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['succeeded', 'failed', null] }) last_sync_status: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiProperty({ description: 'The inactivity window of its change feed (seat.reclaimable), in days' }) inactive_days: number;
}

export class AccountPage {
  @ApiProperty({ type: [AccountView] }) result: AccountView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}

export class TestCredentialsDto {
  @ApiProperty({ example: 'jetbrains', description: 'Connector id from GET /integrations' })
  @IsString()
  @Length(1, 64)
  integration: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
    example: { customer_code: '1234567', api_key: '<token>' },
    description: "The connector's credential fields (see GET /integrations), as POST /integrated-accounts takes them; nothing is stored",
  })
  @IsDefined()
  @IsObject()
  credentials: Record<string, string | boolean>;
}

export class TestedCredentialsView {
  @ApiProperty({ enum: [true], description: 'Always true: credentials that do not work answer an error instead (the one POST /integrated-accounts would give)' })
  ok: true;
  @ApiProperty({ example: 'jetbrains', description: 'The connector id the credentials were tested with' })
  integration: string;
  @ApiProperty({
    type: AccountAccessView,
    description:
      'What the credentials give access to, as the connector learnt it: the organization (id, name), the role and teams the key has, ' +
      'and connector-specific facts in extra (JetBrains: token type; Atlassian: the APIs found, the site and its products)',
  })
  access: AccountAccessView;
}

export class AccountTestView {
  @ApiProperty({ enum: [true], description: 'Always true: stored credentials that no longer work answer an error (and the account turns needs_reauth)' })
  ok: true;
  @ApiProperty({ type: AccountView, description: 'The account after the test (status active again if it was needs_reauth)' })
  account: AccountView;
  @ApiProperty({ type: AccountAccessView, description: 'What the stored credentials give access to now' })
  access: AccountAccessView;
}
