import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { RequiresScope } from '../auth/scope.decorator';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { pageLimit } from '../common/list-query.dto';
import { AuditEventsRepository } from '../store/audit-events.repository';
import { AuditEventPage, AuditQuery, toAuditEventView } from './audit.dto';

@ApiTags('Audit')
@ApiBearerAuth()
@RequiresScope('admin')
@Controller('audit-events')
export class AuditController {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly cursors: CursorCodec,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail: one event per write the hub made or passed on, newest first',
    description:
      'Admin keys. A key of a tenant sees only its tenant\'s events. Kept for HUB_AUDIT_RETENTION (365d by default). ' +
      'The cursor carries the filters: the next page is asked with next_cursor and the same tenant_id and action.',
  })
  @ApiOkResponse({ type: AuditEventPage })
  async list(@Req() req: Request, @Query() query: AuditQuery): Promise<AuditEventPage> {
    const principal = await this.authenticator.authenticate(req);
    let tenantId = query.tenant_id;
    if (principal.tenantId !== null) {
      if (tenantId !== undefined && tenantId !== principal.tenantId) {
        throw new HubError('FORBIDDEN_SCOPE', 'This API key belongs to a tenant: it may read only that tenant\'s audit events', {
          details: { tenant_id: principal.tenantId },
        });
      }
      tenantId = principal.tenantId;
    }
    // The filters are part of the list a cursor belongs to, so a cursor never continues another filter's walk.
    const resource = `audit-events?${new URLSearchParams({ tenant_id: tenantId ?? '', action: query.action ?? '' })}`;
    const position = query.next_cursor ? this.cursors.decode(query.next_cursor, { account: '*', resource }) : null;
    const limit = pageLimit(query.limit, position);
    const rows = await this.events.page(position?.k ?? null, limit, { tenantId, action: query.action });
    const page = rows.slice(0, limit);
    return {
      result: page.map(toAuditEventView),
      next_cursor: rows.length > limit ? this.cursors.encode({ a: '*', r: resource, k: page[page.length - 1]!.id, l: limit }) : null,
      result_count: page.length,
    };
  }
}
