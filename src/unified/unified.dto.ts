import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { DEFAULT_INACTIVE_DAYS, MAX_INACTIVE_DAYS } from '../seats/seat-rules';
import { PageQuery } from '../common/list-query.dto';

/** A query-string flag: "true" and "false" become booleans; anything else is left for @IsBoolean to refuse. */
export const booleanFlag = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class AccountScopedQuery {
  @ApiProperty({ description: 'The integrated account to read' })
  @IsString({ message: 'integrated_account_id is required' })
  @Length(1, 100, { message: 'integrated_account_id is required' })
  integrated_account_id: string;
}

/** `include_outdated`, shared by the directory lists and the reclaimable seats. */
export class OutdatedOption {
  @ApiPropertyOptional({ description: 'Keep licenses (and seats) whose subscription is outdated', default: false })
  @IsOptional()
  @Transform(booleanFlag)
  @IsBoolean({ message: 'include_outdated must be true or false' })
  include_outdated?: boolean;
}

class RemoteDataOption {
  @ApiPropertyOptional({ description: 'Add remote_data (the raw upstream records)', default: false })
  @IsOptional()
  @Transform(booleanFlag)
  @IsBoolean({ message: 'include_remote_data must be true or false' })
  include_remote_data?: boolean;
}

export class DirectoryOptions extends IntersectionType(AccountScopedQuery, RemoteDataOption, OutdatedOption) {}

class SourceOption {
  @ApiPropertyOptional({
    enum: ['snapshot', 'live'],
    default: 'snapshot',
    description: 'snapshot: the last successful sync (fast, consistent pages). live: read the upstream now, page by page',
  })
  @IsOptional()
  @IsIn(['snapshot', 'live'], { message: 'source must be snapshot or live' })
  source?: 'snapshot' | 'live';
}

/** The directory options plus `limit`/`next_cursor`; IntersectionType keeps every set of validators. */
export class DirectoryListQuery extends IntersectionType(DirectoryOptions, PageQuery, SourceOption) {}

const DAYS_MESSAGE = `inactive_days must be a whole number of days between 1 and ${MAX_INACTIVE_DAYS}`;

/** `inactive_days`: the window of the reclaim rules, shared by /licenses and /reclaimable-seats. */
export class InactivityWindow {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_INACTIVE_DAYS,
    default: DEFAULT_INACTIVE_DAYS,
    description: 'The inactivity window, in days: a seat is inactive when its last activity is older',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: DAYS_MESSAGE })
  @Min(1, { message: DAYS_MESSAGE })
  @Max(MAX_INACTIVE_DAYS, { message: DAYS_MESSAGE })
  inactive_days?: number;
}

export class LicensesQuery extends IntersectionType(DirectoryListQuery, InactivityWindow) {}

class RefView {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
}

class EmailView {
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['work', 'personal', 'other'] }) type: string;
  @ApiProperty() is_primary: boolean;
}

class UserLicenseView {
  @ApiProperty({ description: 'Upstream license id' }) id: string;
  @ApiProperty({ example: 'II' }) product_code: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'IntelliJ IDEA Ultimate',
    description: "The product's name. JetBrains: the license's product, else the product catalogue (GET /products); Atlassian: the product access name",
  })
  product_name: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'IntelliJ IDEA Ultimate', description: 'The same as product_name (kept for compatibility)' })
  name: string | null;
  @ApiProperty({ enum: ['active', 'suspended', 'outdated'] }) status: string;
  @ApiProperty() is_trial: boolean;
  @ApiProperty({ type: RefView, nullable: true }) team: RefView | null;
  @ApiProperty({ nullable: true, type: String }) subscription_pack: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) valid_until: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) assigned_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_active_at: string | null;
}

export class UnifiedUserView {
  @ApiProperty({ description: 'Stable id: the lowercased email (JetBrains), the account_id (Atlassian)' }) id: string;
  @ApiProperty() remote_id: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ type: [EmailView] }) emails: EmailView[];
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) first_name: string | null;
  @ApiProperty({ nullable: true, type: String }) last_name: string | null;
  @ApiProperty({ enum: ['active', 'suspended', 'inactive', 'deleted'] }) status: string;
  @ApiProperty({ type: [UserLicenseView] }) licenses: UserLicenseView[];
  @ApiProperty({ type: [RefView] }) groups: RefView[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_active_at: string | null;
  @ApiProperty({ example: 'jetbrains' }) integration: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Atlassian: atlassian, customer or app' }) account_type?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Boolean, description: 'Atlassian: billable under Atlassian Guard' }) is_billable?: boolean | null;
  @ApiPropertyOptional({ description: 'Raw upstream records, only with include_remote_data=true' }) remote_data?: unknown;
}

export class UnifiedGroupView {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() member_count: number;
  @ApiProperty() integration: string;
}

class PlanUtilizationView {
  @ApiProperty() inactive_days: number;
  @ApiProperty({ description: 'Neither inactive nor never used (includes seats assigned within the window)' }) active: number;
  @ApiProperty() inactive: number;
  @ApiProperty() never_used: number;
}

export class UnifiedLicensePlanView {
  @ApiProperty({ example: 'II:2573297:1215/ABCDE' }) id: string;
  @ApiProperty({ example: 'II' }) product_code: string;
  @ApiProperty({ nullable: true, type: String, example: 'IntelliJ IDEA Ultimate', description: "The product's name, found as for a user's licenses" })
  product_name: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The same as product_name (kept for compatibility)' }) name: string | null;
  @ApiProperty({ type: RefView, nullable: true }) team: RefView | null;
  @ApiProperty({ nullable: true, type: String }) subscription_pack: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seats bought: total = assigned + available + unavailable; null where the upstream has no purchased-seat figure (Atlassian)' })
  total: number | null;
  @ApiProperty({ description: 'Assigned to any assignee (people, servers, keys)' }) assigned: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Unassigned and available to assign; null where unknown' }) available: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Unassigned and not assignable; null where unknown' }) unavailable: number | null;
  @ApiProperty() suspended: number;
  @ApiProperty() trial: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) valid_until: string | null;
  @ApiProperty() integration: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Atlassian: users with access active in the last 30 days' }) active_last_30_days?: number | null;
  @ApiProperty({
    type: PlanUtilizationView,
    description: 'Seats of this plan held by people, by the reclaim rules for inactive_days (snapshot reads; absent with source=live)',
  })
  utilization: PlanUtilizationView;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Atlassian: users with access active in the last 90 days' }) active_last_90_days?: number | null;
}

/** What every unified list says about the data it served (see src/unified/freshness.ts). */
export class FreshnessFields {
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the sync run whose snapshot answered finished; null for source=live (read from the upstream just now)',
  })
  synced_at: string | null;
  @ApiProperty({
    description:
      'true when the account needs re-auth, its last sync failed, or the snapshot is older than twice HUB_SYNC_INTERVAL: ' +
      'the data may be out of date (see GET /integrated-accounts/{id}/syncs). Always false for source=live',
  })
  stale: boolean;
  @ApiProperty({ enum: ['snapshot', 'live'], description: 'snapshot: the last successful sync; live: the upstream, read for this request' })
  source: string;
}

export class UserPage extends FreshnessFields {
  @ApiProperty({ type: [UnifiedUserView] }) result: UnifiedUserView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}
export class GroupPage extends FreshnessFields {
  @ApiProperty({ type: [UnifiedGroupView] }) result: UnifiedGroupView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}
export class LicensePlanPage extends FreshnessFields {
  @ApiProperty({ type: [UnifiedLicensePlanView] }) result: UnifiedLicensePlanView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}
