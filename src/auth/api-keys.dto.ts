import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import { KEY_SCOPES, KeyScope, TENANT_ID_PATTERN, TENANT_ID_RULE } from './principal';

/** An ISO 8601 date later than now (checked when the request is validated). */
const IsInTheFuture = () =>
  ValidateBy({
    name: 'isInTheFuture',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && Date.parse(value) > Date.now(),
      defaultMessage: () => 'expires_at must be in the future',
    },
  });

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CI reporting', minLength: 1, maxLength: 100 })
  @IsString({ message: 'name must be a string of 1 to 100 characters' })
  @Length(1, 100, { message: 'name must be a string of 1 to 100 characters' })
  name: string;

  @ApiProperty({ enum: KEY_SCOPES, description: 'admin: everything; read: GET and HEAD only (the proxy included)' })
  @IsIn(KEY_SCOPES, { message: 'scope must be "admin" or "read"' })
  scope: KeyScope;

  @ApiPropertyOptional({ example: '2027-06-30T00:00:00Z', description: 'ISO 8601, in the future; the key is refused from then on' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expires_at must be an ISO 8601 date such as 2027-06-30T00:00:00Z' })
  @IsInTheFuture()
  expires_at?: string;

  @ApiPropertyOptional({
    example: 'acme',
    pattern: TENANT_ID_PATTERN.source,
    description:
      'Confine the key to this tenant (a name you choose): it sees only accounts of that tenant and what hangs from them, ' +
      'connects accounts into it only, and cannot manage keys. Left out: the key sees every tenant',
  })
  @IsOptional()
  @IsString({ message: TENANT_ID_RULE })
  @Matches(TENANT_ID_PATTERN, { message: TENANT_ID_RULE })
  tenant_id?: string;
}

export class ApiKeyView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: KEY_SCOPES }) scope: KeyScope;
  @ApiProperty({ nullable: true, type: String, description: 'The tenant the key is confined to; null: every tenant' }) tenant_id: string | null;
  @ApiProperty({ example: 'hub_Xk3vQ9aB', description: 'The first characters of the key, to recognise it' }) prefix: string;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: String }) expires_at: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Updated at most once a minute' }) last_used_at: string | null;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself: shown this once, never again (only its hash is stored)' }) key: string;
}

export class ApiKeyPage {
  @ApiProperty({ type: [ApiKeyView] }) result: ApiKeyView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}
