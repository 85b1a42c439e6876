import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryListQuery, DirectoryOptions, GroupPage, LicensePlanPage, LicensesQuery, UnifiedUserView, UserPage } from './unified.dto';
import { UnifiedService } from './unified.service';
import { RECLAIM_RULES, ReclaimableSeatPage, ReclaimableSeatsQuery } from './reclaimable-seats.dto';
import { ReclaimableSeatsService } from './reclaimable-seats.service';
import { PEOPLE_RULES, PeoplePage, PeopleQuery, PersonView } from './people.dto';
import { PeopleService } from './people.service';

@ApiTags('Unified User Directory')
@ApiBearerAuth()
@Controller('unified/user-directory')
export class UnifiedController {
  constructor(
    private readonly unified: UnifiedService,
    private readonly reclaimable: ReclaimableSeatsService,
    private readonly peopleService: PeopleService,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'People with their licenses, status, groups and last activity, ordered by id' })
  @ApiOkResponse({ type: UserPage })
  users(@Query() query: DirectoryListQuery, @Res() res: Response) {
    return json(res, this.unified.list('users', query));
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user by id' })
  @ApiOkResponse({ type: UnifiedUserView })
  user(@Param('id') id: string, @Query() query: DirectoryOptions, @Res() res: Response) {
    return json(res, this.unified.getUser(id, query));
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups (JetBrains teams) with member counts' })
  @ApiOkResponse({ type: GroupPage })
  groups(@Query() query: DirectoryListQuery, @Res() res: Response) {
    return json(res, this.unified.list('groups', query));
  }

  @Get('people')
  @ApiOperation({ summary: 'People across every integrated account, by email', description: PEOPLE_RULES })
  @ApiOkResponse({ type: PeoplePage })
  people(@Query() query: PeopleQuery) {
    return this.peopleService.list(query);
  }

  @Get('people/:email')
  @ApiOperation({ summary: 'Everything one person holds, in every integrated account (email in any letter case)', description: PEOPLE_RULES })
  @ApiOkResponse({ type: PersonView })
  person(@Param('email') email: string) {
    return this.peopleService.get(email);
  }

  @Get('reclaimable-seats')
  @ApiOperation({ summary: 'Seats that can be reclaimed: never used or inactive for inactive_days, never-used first', description: RECLAIM_RULES })
  @ApiOkResponse({ type: ReclaimableSeatPage })
  reclaimableSeats(@Query() query: ReclaimableSeatsQuery, @Res() res: Response) {
    return json(res, this.reclaimable.list(query));
  }

  @Get('licenses')
  @ApiOperation({ summary: 'Plans and seats: one row per product x team x subscription pack' })
  @ApiOkResponse({ type: LicensePlanPage })
  licenses(@Query() query: LicensesQuery, @Res() res: Response) {
    return json(res, this.unified.list('licenses', query));
  }
}

/**
 * The service answers JSON bytes already: send them as they are, straight through Node's response
 * (Express's `send` would look up the MIME type and check freshness on every page).
 */
async function json(res: Response, body: Promise<Buffer>): Promise<void> {
  const bytes = await body;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
  res.end(bytes);
}
