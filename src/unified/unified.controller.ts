import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryListQuery, DirectoryOptions, GroupPage, LicensePlanPage, UnifiedUserView, UserPage } from './unified.dto';
import { UnifiedService } from './unified.service';

@ApiTags('Unified User Directory')
@ApiBearerAuth()
@Controller('unified/user-directory')
export class UnifiedController {
  constructor(private readonly unified: UnifiedService) {}

  @Get('users')
  @ApiOperation({ summary: 'People with their licenses, status, groups and last activity, ordered by id' })
  @ApiOkResponse({ type: UserPage })
  users(@Query() query: DirectoryListQuery) {
    return this.unified.list('users', query);
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user by id' })
  @ApiOkResponse({ type: UnifiedUserView })
  user(@Param('id') id: string, @Query() query: DirectoryOptions) {
    return this.unified.getUser(id, query);
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups (JetBrains teams) with member counts' })
  @ApiOkResponse({ type: GroupPage })
  groups(@Query() query: DirectoryListQuery) {
    return this.unified.list('groups', query);
  }

  @Get('licenses')
  @ApiOperation({ summary: 'Plans and seats: one row per product x team x subscription pack' })
  @ApiOkResponse({ type: LicensePlanPage })
  licenses(@Query() query: DirectoryListQuery) {
    return this.unified.list('licenses', query);
  }
}
