import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from '../auth/principal';
import { PageQuery } from '../common/list-query.dto';

export const PEOPLE_RULES =
  'One row per person across every integrated account, matched by email (case-insensitive). Accounts whose ' +
  'upstream hides the email (Atlassian does for some accounts) cannot be matched and are not listed; bots (app) ' +
  'and portal customers are not people. Closed accounts are listed, with their status (they hold no seats). A key ' +
  'with a tenant joins only the accounts of its tenant; a key without one joins every account, or one tenant\'s with tenant_id.';

class EmailFilter {
  @ApiPropertyOptional({ description: 'Only this person (exact email, any letter case)', example: 'ada@example.com' })
  @IsOptional()
  @MaxLength(320, { message: 'email must be an email address' })
  @IsEmail({ allow_utf8_local_part: true }, { message: 'email must be an email address' })
  email?: string;
}

/** `tenant_id`: join only that tenant's accounts (a tenant key joins its own tenant's whatever this says). */
export class PersonQuery {
  @ApiPropertyOptional({ example: 'acme', description: "Join only this tenant's accounts (a tenant key: only its own tenant's, whatever this says)" })
  @IsOptional()
  @IsString({ message: TENANT_ID_RULE })
  @Matches(TENANT_ID_PATTERN, { message: TENANT_ID_RULE })
  tenant_id?: string;
}

/** What the web page's People table filters by; a cursor keeps the filters it was issued with. */
class PeopleFilters {
  @ApiPropertyOptional({ description: 'Part of the email or of the name, any letter case (1 to 100 characters)', example: 'obrien' })
  @IsOptional()
  @IsString({ message: 'search must be text' })
  @Length(1, 100, { message: 'search must be 1 to 100 characters' })
  search?: string;

  @ApiPropertyOptional({ description: 'Only people holding a license of this product in some account (product_code as in their products)', example: 'II' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'product_code must be a product code such as II or jira (letters, digits, . _ : -)' })
  product_code?: string;

  @ApiPropertyOptional({ description: 'Only people with this status in some account (active, suspended, inactive, closed…)', example: 'active' })
  @IsOptional()
  @Matches(/^[a-z_]{1,40}$/, { message: 'status must be a status such as active or suspended (lowercase letters and _)' })
  status?: string;
}

export class PeopleQuery extends IntersectionType(PageQuery, EmailFilter, PersonQuery, PeopleFilters) {}

class PersonLicenseView {
  @ApiProperty({ example: 'II' }) product_code: string;
  @ApiProperty({ nullable: true, type: String, example: 'IntelliJ IDEA Ultimate' }) product_name: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_active_at: string | null;
}

class PersonAccountView {
  @ApiProperty() integrated_account_id: string;
  @ApiProperty({ example: 'jetbrains' }) integration: string;
  @ApiProperty({ description: 'The user id in that account (as in /unified/user-directory/users)' }) user_id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_active_at: string | null;
  @ApiProperty({ type: [PersonLicenseView] }) licenses: PersonLicenseView[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the sync whose snapshot this entry comes from finished' })
  synced_at: string | null;
  @ApiProperty({ description: 'The account needs re-auth, its last sync failed, or its snapshot is older than twice HUB_SYNC_INTERVAL' })
  stale: boolean;
}

class ProductView {
  @ApiProperty() product_code: string;
  @ApiProperty({ nullable: true, type: String }) product_name: string | null;
  @ApiProperty() integration: string;
}

export class PersonView {
  @ApiProperty({ description: 'Lowercased email: the key people are matched by' }) email: string;
  @ApiProperty({ nullable: true, type: String, description: 'The first name an account gives' }) name: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'The latest activity in any account' }) last_active_at: string | null;
  @ApiProperty({ type: [ProductView], description: 'Every product the person holds, in any account' }) products: ProductView[];
  @ApiProperty({ type: [PersonAccountView] }) accounts: PersonAccountView[];
}

export class PeoplePage {
  @ApiProperty({ type: [PersonView] }) result: PersonView[];
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  @ApiProperty() result_count: number;
}
