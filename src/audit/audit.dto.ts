import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../common/list-query.dto';
import type { AuditEventRow } from '../store/audit-events.repository';
import { AUDIT_ACTIONS } from './audited-routes';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only the events of this tenant (a key of a tenant sees only its own)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  tenant_id?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, description: 'Only the events of this action' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
  action?: string;
}

class AuditActor {
  @ApiProperty({ example: 'root', description: '"root" (HUB_API_KEY) or the API key\'s id' }) key_id: string;
  @ApiProperty({ example: 'root', description: '"root", or the key\'s name when the write was made' }) name: string;
}

class AuditTarget {
  @ApiProperty({ nullable: true, type: String, example: 'integrated_account' }) type: string | null;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
}

export class AuditEventView {
  @ApiProperty() id: string;
  @ApiProperty({ example: '2026-12-01T09:30:00.000Z' }) occurred_at: string;
  @ApiProperty({ type: AuditActor }) actor: AuditActor;
  @ApiProperty({ nullable: true, type: String, description: 'Null until tenants exist' }) tenant_id: string | null;
  @ApiProperty({ example: 'integrated_account.updated' }) action: string;
  @ApiProperty({ type: AuditTarget }) target: AuditTarget;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: 'success' | 'failure';
  @ApiProperty({ example: 200, description: 'The HTTP status answered (for proxy.write, the upstream\'s when it answered)' }) status: number;
  @ApiProperty({ nullable: true, type: String, description: 'The hub\'s error code when the hub failed the write' }) error_code: string | null;
  @ApiProperty({ nullable: true, type: String }) client_ip: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { credentials_changed: true, name_changed: false },
    description: 'Facts about the write; never a credential, a body or a query value',
  })
  details: Record<string, unknown>;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventView] }) result: AuditEventView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}

export function toAuditEventView(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    occurred_at: row.occurred_at,
    actor: { key_id: row.actor_key_id, name: row.actor_name },
    tenant_id: row.tenant_id,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    outcome: row.outcome as AuditEventView['outcome'],
    status: Number(row.status),
    error_code: row.error_code,
    client_ip: row.client_ip,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}
