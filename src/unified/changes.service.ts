import { Injectable } from '@nestjs/common';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { pageLimit } from '../common/list-query.dto';
import { AccountsService } from '../accounts/accounts.service';
import type { Viewer } from '../auth/principal';
import { ChangesRepository } from '../store/changes.repository';
import type { ChangePage, ChangesQuery, ChangeView } from './changes.dto';

/** The change feed of one account (rules in changes.dto.ts FEED_RULES). */
@Injectable()
export class ChangesService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly changes: ChangesRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(query: ChangesQuery, viewer: Viewer): Promise<ChangePage> {
    const account = await this.accounts.get(query.integrated_account_id, viewer);
    const cursor = query.next_cursor ? this.cursors.decode(query.next_cursor, { account: account.id, resource: 'changes' }) : null;
    const limit = pageLimit(query.limit, cursor);
    const after = await this.startAfter(account.id, cursor?.k ?? null, query.since);
    const rows = await this.changes.page(account.id, after, limit);
    const page = rows.slice(0, limit);
    const last = page.length ? page[page.length - 1]!.seq : after;
    return {
      result: page.map((row): ChangeView => ({ id: row.seq, type: row.type, occurred_at: row.occurred_at, sync_run_id: row.sync_run_id, ...JSON.parse(row.data) })),
      next_cursor: this.cursors.encode({ a: account.id, r: 'changes', k: String(last), l: limit }),
      result_count: page.length,
    };
  }

  /** The number the walk continues after: the cursor's, the one before `since`, or before the oldest kept. */
  private async startAfter(accountId: string, position: string | null, since: string | undefined): Promise<number> {
    const oldest = await this.changes.oldestSeq(accountId);
    if (position !== null) {
      const after = Number(position);
      if (!Number.isInteger(after) || after < 0) throw new HubError('INVALID_CURSOR', 'next_cursor is malformed');
      if (oldest !== null && after < oldest - 1) {
        throw new HubError(
          'CHANGES_EXPIRED',
          'This cursor points before the changes this hub still keeps (HUB_CHANGES_RETENTION): list the users again, then follow the feed without next_cursor.',
        );
      }
      return after;
    }
    if (since !== undefined) {
      const first = await this.changes.firstSeqSince(accountId, new Date(since).toISOString());
      return first === null ? (await this.changes.nextSeq(accountId)) - 1 : first - 1;
    }
    return oldest === null ? 0 : oldest - 1;
  }
}
