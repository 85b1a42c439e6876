import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { PageQuery } from '../common/list-query.dto';
import { AccountScopedQuery } from './unified.dto';

export const FEED_RULES =
  'What each sync found changed since the previous one, oldest first: user.added, user.removed, user.updated (status, ' +
  'name, email, licenses and groups; a change of last activity alone is not a change) and seat.reclaimable (a seat that ' +
  'became reclaimable at that sync, by the rules of /reclaimable-seats with the account\'s inactive_days, 60 unless set by PATCH). The first sync of an ' +
  'account is the baseline and records nothing: list users once, then follow the feed. The feed never ends: next_cursor ' +
  'is always returned (after the last change, or where you started when there is nothing new), so poll with it. `since` ' +
  'starts at the first change at or after that time; with neither, the feed starts at its oldest retained change. A ' +
  'cursor from before the retention window (HUB_CHANGES_RETENTION, 90 days) answers 410.';

class FeedStart {
  @ApiPropertyOptional({ description: 'Start at the first change at or after this time (ISO 8601); ignored with next_cursor', example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z' })
  since?: string;
}

export class ChangesQuery extends IntersectionType(AccountScopedQuery, PageQuery, FeedStart) {}

class FieldChangeView {
  @ApiProperty({ enum: ['status', 'name', 'email', 'licenses', 'groups'] }) field: string;
  @ApiProperty({ description: 'The value before (for licenses and groups: [{ id, product_code }] / [{ id, name }])', nullable: true }) before: unknown;
  @ApiProperty({ nullable: true }) after: unknown;
  @ApiPropertyOptional({ description: 'licenses and groups: what was added' }) added?: unknown[];
  @ApiPropertyOptional({ description: 'licenses and groups: what was removed' }) removed?: unknown[];
}

class ChangedSeatView {
  @ApiProperty() id: string;
  @ApiProperty() product_code: string;
  @ApiProperty({ nullable: true, type: String }) product_name: string | null;
  @ApiProperty({ enum: ['never_used', 'inactive'] }) reason: string;
  @ApiProperty() inactive_days: number;
}

export class ChangeView {
  @ApiProperty({ description: 'Increasing per account' }) id: number;
  @ApiProperty({ enum: ['user.added', 'user.removed', 'user.updated', 'seat.reclaimable'] }) type: string;
  @ApiProperty({ format: 'date-time', description: 'When the sync that found it finished' }) occurred_at: string;
  @ApiProperty() sync_run_id: string;
  @ApiProperty() user_id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiPropertyOptional({ type: [FieldChangeView], description: 'user.updated only' }) changes?: FieldChangeView[];
  @ApiPropertyOptional({ type: ChangedSeatView, description: 'seat.reclaimable only' }) seat?: ChangedSeatView;
}

export class ChangePage {
  @ApiProperty({ type: [ChangeView] }) result: ChangeView[];
  @ApiProperty({ description: 'Always present: poll with it for what comes next' }) next_cursor: string;
  @ApiProperty() result_count: number;
}
