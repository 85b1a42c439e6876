import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../auth/principal';
import { PageQuery } from '../common/list-query.dto';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './webhook-events';

const EVENTS = [...WEBHOOK_EVENT_TYPES, ALL_EVENTS];
const EVENTS_MESSAGE = `events must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}, or ["*"] for all of them`;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/hooks/hub', description: 'http(s); never a link-local or cloud-metadata address' })
  @IsString({ message: 'url must be an http(s) URL' })
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  url: string;

  @ApiProperty({ example: ['user.added', 'user.removed', 'sync.failed'], enum: EVENTS, isArray: true })
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: EVENTS_MESSAGE })
  @ArrayMaxSize(EVENTS.length, { message: EVENTS_MESSAGE })
  @IsIn(EVENTS, { each: true, message: EVENTS_MESSAGE })
  events: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'description must be a string of at most 500 characters' })
  @MaxLength(500, { message: 'description must be a string of at most 500 characters' })
  description?: string;

  @ApiPropertyOptional({
    example: 'acme',
    pattern: TENANT_ID_PATTERN.source,
    description:
      "The tenant the endpoint belongs to: it then gets only the events of that tenant's accounts. A key without tenant may set any " +
      "(left out: no tenant, the endpoint gets every event); a tenant key's endpoints always belong to its own tenant: another tenant_id is 403 FORBIDDEN_TENANT",
  })
  @IsOptional()
  @IsString({ message: TENANT_ID_RULE })
  @Matches(TENANT_ID_PATTERN, { message: TENANT_ID_RULE })
  tenant_id?: string;
}

export class WebhookListQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'acme',
    description: "Only this tenant's endpoints. A tenant key sees its own tenant's only, whatever this says (another tenant: an empty list)",
  })
  @IsOptional()
  @IsString({ message: TENANT_ID_RULE })
  @Matches(TENANT_ID_PATTERN, { message: TENANT_ID_RULE })
  tenant_id?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'url must be an http(s) URL' })
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  url?: string;

  @ApiPropertyOptional({ enum: EVENTS, isArray: true })
  @IsOptional()
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: EVENTS_MESSAGE })
  @ArrayMaxSize(EVENTS.length, { message: EVENTS_MESSAGE })
  @IsIn(EVENTS, { each: true, message: EVENTS_MESSAGE })
  events?: string[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString({ message: 'description must be a string of at most 500 characters' })
  @MaxLength(500, { message: 'description must be a string of at most 500 characters' })
  description?: string;

  @ApiPropertyOptional({ description: 'true enables again an endpoint the hub disabled (410 Gone, 24 h of failures)' })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class WebhookView {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String, description: "The tenant it belongs to (it gets that tenant's events only); null: none (every event, seen by keys without tenant only)" })
  tenant_id: string | null;
  @ApiProperty() url: string;
  @ApiProperty({ isArray: true, enum: EVENTS }) events: string[];
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why the hub disabled it (410 Gone, 24 h of failures)' }) disabled_reason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Until then the previous secret signs too (after rotate-secret)' })
  previous_secret_expires_at: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class CreatedWebhookView extends WebhookView {
  @ApiProperty({ example: 'whsec_…', description: 'The signing secret: shown this once (stored sealed)' }) secret: string;
}

export class RotatedSecretView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The new signing secret: shown this once' }) secret: string;
  @ApiProperty({ description: 'Until then messages carry the old secret\'s signature too' }) previous_secret_expires_at: string;
}

export class WebhookPage {
  @ApiProperty({ type: [WebhookView] }) result: WebhookView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}

export class DeliveryView {
  @ApiProperty({ description: 'The webhook-id header, the same on every attempt' }) id: string;
  @ApiProperty() event_type: string;
  @ApiProperty({ enum: ['waiting_for_sync', 'pending', 'delivered', 'failed'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number }) last_response_code: number | null;
  @ApiProperty({ nullable: true, type: String }) last_error: string | null;
  @ApiProperty({ nullable: true, type: String }) last_attempt_at: string | null;
  @ApiProperty({ nullable: true, type: String }) next_attempt_at: string | null;
  @ApiProperty() created_at: string;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) result: DeliveryView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}
