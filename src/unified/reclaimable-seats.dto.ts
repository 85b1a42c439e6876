import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../common/list-query.dto';
import { AccountScopedQuery, FreshnessFields, InactivityWindow, OutdatedOption } from './unified.dto';

export const RECLAIM_RULES =
  'A seat is reclaimable when its last activity is older than inactive_days (reason "inactive"), or when no activity was ' +
  'recorded on it since its current assignment and it was assigned more than inactive_days ago or at an unknown date ' +
  '(reason "never_used"). A seat assigned within the window and not used yet is not reclaimable. Days count from the ' +
  'request time. JetBrains: activity is the license\'s lastSeen date, assignment its lastAssignmentDate; only licenses ' +
  'assigned to people; outdated subscriptions are left out unless include_outdated=true. Atlassian: one seat per product ' +
  'access of a person, activity is that product\'s last active date; bots (app), portal customers and closed accounts ' +
  'hold no seats.';

class SeatFilters {
  @ApiPropertyOptional({ description: 'Only seats of this product (product_code as in the unified output)', example: 'II' })
  @IsOptional()
  @IsString()
  @Length(1, 100, { message: 'product_code must have 1 to 100 characters' })
  product_code?: string;

  @ApiPropertyOptional({ description: 'Only seats of this group (JetBrains team id)' })
  @IsOptional()
  @IsString()
  @Length(1, 100, { message: 'group_id must have 1 to 100 characters' })
  group_id?: string;
}

export class ReclaimableSeatsQuery extends IntersectionType(AccountScopedQuery, PageQuery, InactivityWindow, OutdatedOption, SeatFilters) {}

class SeatGroupView {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
}

export class ReclaimableSeatView {
  @ApiProperty({ description: 'The license id (JetBrains), or <account_id>:<product key> (Atlassian)' }) id: string;
  @ApiProperty() user_id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ example: 'II' }) product_code: string;
  @ApiProperty({ nullable: true, type: String, example: 'IntelliJ IDEA Ultimate' }) product_name: string | null;
  @ApiProperty({ type: SeatGroupView, nullable: true }) group: SeatGroupView | null;
  @ApiProperty({ enum: ['never_used', 'inactive'] }) reason: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) assigned_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_active_at: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Whole days since last_active_at, or since assigned_at when never used; null when neither is known' })
  days_inactive: number | null;
  @ApiProperty({ example: 'active' }) license_status: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Monthly price of the seat when seat prices are set (a yearly price / 12)' })
  monthly_cost: number | null;
}

class ReasonCounts {
  @ApiProperty() never_used: number;
  @ApiProperty() inactive: number;
}

class ProductReclaim {
  @ApiProperty() product_code: string;
  @ApiProperty({ nullable: true, type: String }) product_name: string | null;
  @ApiProperty({ description: 'Reclaimable seats of this product' }) reclaimable: number;
  @ApiProperty({ description: 'Seats of this product held by people (in the filtered set)' }) assigned: number;
}

export class ReclaimSummary {
  @ApiProperty() inactive_days: number;
  @ApiProperty({ description: 'Reclaimable seats in the whole filtered set (not the page)' }) reclaimable: number;
  @ApiProperty({ type: ReasonCounts }) by_reason: ReasonCounts;
  @ApiProperty({ type: [ProductReclaim] }) by_product: ProductReclaim[];
  @ApiProperty({ nullable: true, type: Number, description: 'Monthly cost of the reclaimable seats that have a price; null without seat prices' })
  monthly_cost: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'EUR' }) currency: string | null;
}

export class ReclaimableSeatPage extends FreshnessFields {
  @ApiProperty({ type: [ReclaimableSeatView] }) result: ReclaimableSeatView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
  @ApiProperty({ type: ReclaimSummary }) summary: ReclaimSummary;
}
