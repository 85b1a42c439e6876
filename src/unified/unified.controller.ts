import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Caller } from '../auth/caller.decorator';
import type { Principal } from '../auth/principal';
import { TenantScoped } from '../auth/tenant-scoped.decorator';
import { ReachesUpstream, WaitsForFirstSync } from '../docs/openapi-decorators';
import { ApiBearerAuth, ApiGoneResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryListQuery, DirectoryOptions, GroupPage, LicensePlanPage, LicensesQuery, UnifiedUserView, UserPage } from './unified.dto';
import { UnifiedService } from './unified.service';
import { RECLAIM_RULES, ReclaimableSeatPage, ReclaimableSeatsQuery } from './reclaimable-seats.dto';
import { ReclaimableSeatsService } from './reclaimable-seats.service';
import { PEOPLE_RULES, PeoplePage, PeopleQuery, PersonQuery, PersonView } from './people.dto';
import { PeopleService } from './people.service';
import { ChangePage, ChangesQuery, FEED_RULES } from './changes.dto';
import { ChangesService } from './changes.service';
import { freshnessHeaders, JsonPieces } from './freshness';

const FRESHNESS_HEADERS = {
  'X-Hub-Synced-At': {
    description: 'When the sync run whose snapshot answered finished (ISO 8601 UTC), as synced_at in the lists',
    schema: { type: 'string', format: 'date-time' },
  },
  'X-Hub-Stale': {
    description: 'true when the account needs re-auth, its last sync failed, or the snapshot is older than twice HUB_SYNC_INTERVAL, as stale in the lists',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
};

@ApiTags('Unified User Directory')
@ApiBearerAuth()
@Controller('unified/user-directory')
export class UnifiedController {
  constructor(
    private readonly unified: UnifiedService,
    private readonly reclaimable: ReclaimableSeatsService,
    private readonly peopleService: PeopleService,
    private readonly changeFeed: ChangesService,
  ) {}

  @Get('users')
  @WaitsForFirstSync()
  @TenantScoped()
  @ReachesUpstream()
  @ApiOperation({ summary: 'People with their licenses, status, groups and last activity, ordered by id' })
  @ApiOkResponse({ type: UserPage })
  users(@Query() query: DirectoryListQuery, @Res() res: Response, @Caller() caller: Principal) {
    return json(res, this.unified.list('users', query, caller));
  }

  @Get('users/:id')
  @WaitsForFirstSync()
  @TenantScoped()
  @ReachesUpstream()
  @ApiOperation({
    summary: 'One user by id',
    description:
      'From the current snapshot. JetBrains ids are lowercased emails and are found whatever the letter case asked for. ' +
      'Which snapshot answered, and whether it is stale, is in the X-Hub-Synced-At and X-Hub-Stale headers (the lists carry synced_at and stale).',
  })
  @ApiOkResponse({ type: UnifiedUserView, headers: FRESHNESS_HEADERS })
  async user(@Param('id') id: string, @Query() query: DirectoryOptions, @Res() res: Response, @Caller() caller: Principal) {
    const { body, freshness } = await this.unified.getUser(id, query, caller);
    return json(res, Promise.resolve([body]), freshnessHeaders(freshness));
  }

  @Get('groups')
  @WaitsForFirstSync()
  @TenantScoped()
  @ApiOperation({ summary: 'Groups (JetBrains teams) with member counts' })
  @ApiOkResponse({ type: GroupPage })
  groups(@Query() query: DirectoryListQuery, @Res() res: Response, @Caller() caller: Principal) {
    return json(res, this.unified.list('groups', query, caller));
  }

  @Get('changes')
  @ApiGoneResponse({ description: 'CHANGES_EXPIRED: the cursor points before HUB_CHANGES_RETENTION; start again with since=' })
  @ApiOperation({ summary: 'The change feed: who joined, left or changed at each sync, and seats that turned reclaimable', description: FEED_RULES })
  @ApiOkResponse({ type: ChangePage })
  changes(@Query() query: ChangesQuery, @Caller() caller: Principal) {
    return this.changeFeed.list(query, caller);
  }

  @Get('people')
  @TenantScoped({ notFound: false })
  @ApiOperation({ summary: 'People across every integrated account, by email', description: PEOPLE_RULES })
  @ApiOkResponse({ type: PeoplePage })
  people(@Query() query: PeopleQuery, @Caller() caller: Principal) {
    return this.peopleService.list(query, caller);
  }

  @Get('people/:email')
  @TenantScoped()
  @ApiOperation({ summary: 'Everything one person holds, in every integrated account (email in any letter case)', description: PEOPLE_RULES })
  @ApiOkResponse({ type: PersonView })
  person(@Param('email') email: string, @Query() query: PersonQuery, @Caller() caller: Principal) {
    return this.peopleService.get(email, caller, query.tenant_id);
  }

  @Get('reclaimable-seats')
  @WaitsForFirstSync()
  @TenantScoped()
  @ApiOperation({ summary: 'Seats that can be reclaimed: never used or inactive for inactive_days, never-used first', description: RECLAIM_RULES })
  @ApiOkResponse({ type: ReclaimableSeatPage })
  reclaimableSeats(@Query() query: ReclaimableSeatsQuery, @Res() res: Response, @Caller() caller: Principal) {
    return json(res, this.reclaimable.list(query, caller));
  }

  @Get('licenses')
  @WaitsForFirstSync()
  @TenantScoped()
  @ApiOperation({ summary: 'Plans and seats: one row per product x team x subscription pack' })
  @ApiOkResponse({ type: LicensePlanPage })
  licenses(@Query() query: LicensesQuery, @Res() res: Response, @Caller() caller: Principal) {
    return json(res, this.unified.list('licenses', query, caller));
  }
}

/**
 * The service answers JSON bytes already: send them as they are, straight through Node's response
 * (Express's `send` would look up the MIME type and check freshness on every page).
 */
async function json(res: Response, body: Promise<JsonPieces>, headers: Record<string, string> = {}): Promise<void> {
  const pieces = await body;
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': length });
  // Corked: the pieces leave in one write to the socket, as one buffer would have.
  res.cork();
  for (const piece of pieces) res.write(piece);
  res.end();
}
