import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
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

export class PeopleQuery extends IntersectionType(PageQuery, EmailFilter, PersonQuery) {}

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
