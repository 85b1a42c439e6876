import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../auth/principal';
import { AccountAccessView } from '../accounts/accounts.dto';
import { IntegrationView } from '../integrations/integrations.dto';

export const MIN_EXPIRES_IN = 60;
export const MAX_EXPIRES_IN = 86_400;
export const DEFAULT_EXPIRES_IN = 1800;
const EXPIRES_RULE = `expires_in must be a whole number of seconds between ${MIN_EXPIRES_IN} and ${MAX_EXPIRES_IN}`;

export class CreateConnectSessionDto {
  @ApiPropertyOptional({
    example: 'acme',
    pattern: TENANT_ID_PATTERN.source,
    description:
      'The tenant the connected account will belong to. Required for a key without tenant; a tenant key may only name its own (left out: its own), another is 403 FORBIDDEN_TENANT',
  })
  @IsOptional()
  @IsString({ message: TENANT_ID_RULE })
  @Matches(TENANT_ID_PATTERN, { message: TENANT_ID_RULE })
  tenant_id?: string;

  @ApiPropertyOptional({ example: ['jetbrains'], type: [String], description: 'The integrations the link may connect (connector ids from GET /integrations); left out: every one' })
  @IsOptional()
  @IsArray({ message: 'integrations must be a list of connector ids, such as ["jetbrains"]' })
  @ArrayMinSize(1, { message: 'integrations must name at least one connector (leave it out for all)' })
  @ArrayMaxSize(50, { message: 'integrations may name at most 50 connectors' })
  @IsString({ each: true, message: 'integrations must be a list of connector ids, such as ["jetbrains"]' })
  integrations?: string[];

  @ApiPropertyOptional({ minimum: MIN_EXPIRES_IN, maximum: MAX_EXPIRES_IN, default: DEFAULT_EXPIRES_IN, description: 'Seconds the link works for' })
  @IsOptional()
  @IsInt({ message: EXPIRES_RULE })
  @Min(MIN_EXPIRES_IN, { message: EXPIRES_RULE })
  @Max(MAX_EXPIRES_IN, { message: EXPIRES_RULE })
  expires_in?: number;
}

export class ConnectSessionView {
  @ApiProperty({ description: 'The link\'s id (in the audit trail)' }) id: string;
  @ApiProperty({ description: 'The link\'s token (hubcs_…): shown this once, only its SHA-256 is stored. The page sends it as Authorization: Bearer' })
  token: string;
  @ApiProperty({ example: 'https://hub.example.com/#/connect/hubcs_…', description: 'The page to send the end customer to; the token is in the fragment, so it never reaches server logs or Referer headers' })
  url: string;
  @ApiProperty({ description: 'When the link stops working (ISO 8601, UTC)' }) expires_at: string;
  @ApiProperty({ description: 'The tenant the connected account will belong to' }) tenant_id: string;
  @ApiProperty({ type: [String], description: 'The integrations the link may connect' }) integrations: string[];
}

export class ConnectSessionListItem {
  @ApiProperty({ description: 'The link\'s id' }) id: string;
  @ApiProperty({ description: 'The tenant the connected account belongs (or will belong) to' }) tenant_id: string;
  @ApiProperty({ type: [String], nullable: true, description: 'The integrations the link may connect; null: every one' }) integrations: string[] | null;
  @ApiProperty({ enum: ['active', 'used', 'expired', 'revoked'], description: 'active: it can still connect an account; used: an account was connected with it; expired; revoked: withdrawn with DELETE' })
  status: 'active' | 'used' | 'expired' | 'revoked';
  @ApiProperty({ description: 'The key that created it (root for HUB_API_KEY)' }) created_by_key_id: string;
  @ApiProperty() created_at: string;
  @ApiProperty({ description: 'When it stops (stopped) working; for a revoked link, when it was withdrawn' }) expires_at: string;
  @ApiProperty({ nullable: true, type: String, description: 'The account connected with it' }) account_id: string | null;
}

export class ConnectSessionPage {
  @ApiProperty({ type: [ConnectSessionListItem] }) result: ConnectSessionListItem[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}

export class CurrentConnectSessionView {
  @ApiProperty({ description: 'The tenant the connected account will belong to' }) tenant_id: string;
  @ApiProperty({ description: 'When the link stops working (ISO 8601, UTC)' }) expires_at: string;
  @ApiProperty({ type: [IntegrationView], description: 'The integrations the link may connect, as GET /integrations shows them' }) integrations: IntegrationView[];
}

export class ConnectTestDto {
  @ApiProperty({ example: 'jetbrains', description: 'One of the link\'s integrations' })
  @IsString()
  @Length(1, 64)
  integration: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
    example: { customer_code: '1234567', api_key: '<token>' },
    description: "The connector's credential fields (see the link's integrations)",
  })
  @IsDefined()
  @IsObject()
  credentials: Record<string, string | boolean>;
}

export class ConnectAccountDto extends ConnectTestDto {
  @ApiPropertyOptional({ example: 'Acme JetBrains', description: 'Defaults to the integration and organization name' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class ConnectTestView {
  @ApiProperty({ enum: [true], description: 'Always true: credentials that do not work answer an error instead' }) ok: true;
  @ApiProperty({ description: 'The connector id the credentials were tested with' }) integration: string;
  @ApiProperty({ type: AccountAccessView, description: 'What the credentials give access to (organization, role, teams, connector facts)' }) access: AccountAccessView;
}

export class ConnectedAccountView {
  @ApiProperty({ description: 'The new integrated account\'s id' }) id: string;
  @ApiProperty({ description: 'Its connector id' }) integration: string;
  @ApiProperty({ description: 'Its name' }) name: string;
  @ApiProperty({ description: 'The tenant it belongs to (the link\'s)' }) tenant_id: string;
  @ApiProperty({ enum: ['active', 'needs_reauth'], description: 'active: the first sync has started' }) status: string;
}
