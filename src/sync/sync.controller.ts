import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller.decorator';
import type { Principal } from '../auth/principal';
import { RequiresScope } from '../auth/scope.decorator';
import { TenantScoped } from '../auth/tenant-scoped.decorator';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { pageLimit, PageQuery } from '../common/list-query.dto';
import { AccountsService } from '../accounts/accounts.service';
import { SyncRunRow, SyncRunsRepository } from '../store/sync-runs.repository';
import { SyncService } from './sync.service';
import { SyncRunPage, SyncRunView, toSyncRunView } from './sync-run.view';

@ApiTags('Sync runs')
@ApiBearerAuth()
@TenantScoped()
@Controller('integrated-accounts/:id')
export class SyncController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sync: SyncService,
    private readonly runs: SyncRunsRepository,
    private readonly cursors: CursorCodec,
  ) {}

  @Post('sync')
  @RequiresScope('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a sync now; when one is already running, that run is returned' })
  @ApiAcceptedResponse({ type: SyncRunView })
  async start(@Param('id') id: string, @Caller() caller: Principal): Promise<SyncRunView> {
    // Checked here: SyncService starts runs for the hub itself too (scheduler, first sync) and sees every tenant.
    await this.accounts.get(id, caller);
    return this.view(await this.sync.start(id, 'manual'));
  }

  @Get('syncs')
  @ApiOperation({ summary: 'Sync runs, newest first' })
  @ApiOkResponse({ type: SyncRunPage })
  async list(@Param('id') id: string, @Query() query: PageQuery, @Caller() caller: Principal): Promise<SyncRunPage> {
    await this.accounts.get(id, caller);
    const position = query.next_cursor ? this.cursors.decode(query.next_cursor, { account: id, resource: 'syncs' }) : null;
    const before = position?.k ?? null;
    const limit = pageLimit(query.limit, position);
    const rows = await this.runs.page(id, before, limit);
    const page = rows.slice(0, limit);
    return {
      result: page.map((row) => this.view(row)),
      next_cursor: rows.length > limit ? this.cursors.encode({ a: id, r: 'syncs', k: page[page.length - 1]!.id, l: limit }) : null,
      result_count: page.length,
    };
  }

  @Get('syncs/:runId')
  @ApiOkResponse({ type: SyncRunView })
  async get(@Param('id') id: string, @Param('runId') runId: string, @Caller() caller: Principal): Promise<SyncRunView> {
    await this.accounts.get(id, caller);
    const row = await this.runs.find(id, runId);
    if (!row) throw new HubError('RUN_NOT_FOUND', `No sync run "${runId}" for integrated account ${id}`);
    return this.view(row);
  }

  private view(row: SyncRunRow): SyncRunView {
    const view = toSyncRunView(row);
    const live = this.sync.liveStats(row.account_id, row.id);
    if (live) view.stats = { ...view.stats, ...live };
    return view;
  }
}
