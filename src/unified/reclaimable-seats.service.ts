import { Injectable } from '@nestjs/common';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { pageLimit } from '../common/list-query.dto';
import { AccountsService } from '../accounts/accounts.service';
import type { Viewer } from '../auth/principal';
import { monthlyPrice, roundMoney, SeatPrices } from '../seats/seat-prices';
import { daysInactive, DEFAULT_INACTIVE_DAYS, inactivityCutoff, reclaimReason } from '../seats/seat-rules';
import type { AccountRow } from '../store/accounts.repository';
import { SeatFilter, SeatsRepository, StoredSeat } from '../store/seats.repository';
import type { ReclaimableSeatsQuery, ReclaimSummary } from './reclaimable-seats.dto';
import { freshnessMembers } from './freshness';
import { SeatCountsCache } from './seat-counts-cache';
import { UnifiedService } from './unified.service';

/**
 * Seats that can be reclaimed, from the account's current snapshot: a keyset page in
 * (last activity, id) order, never-used seats first, and a summary over the whole filtered set.
 * The rules are in src/seats/seat-rules.ts.
 */
@Injectable()
export class ReclaimableSeatsService {
  private readonly counts = new SeatCountsCache();

  constructor(
    private readonly accounts: AccountsService,
    private readonly unified: UnifiedService,
    private readonly seats: SeatsRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(query: ReclaimableSeatsQuery, viewer: Viewer, now = Date.now()): Promise<Buffer> {
    const account = await this.accounts.get(query.integrated_account_id, viewer);
    const { id: snapshot, freshness } = await this.unified.served(account);
    const inactiveDays = query.inactive_days ?? DEFAULT_INACTIVE_DAYS;
    const filter: SeatFilter = {
      cutoff: inactivityCutoff(now, inactiveDays),
      includeOutdated: query.include_outdated === true,
      productCode: query.product_code,
      groupId: query.group_id,
    };
    // A cursor walks one filtered list: it is refused with other filters or another window.
    const resource = `reclaimable-seats:${inactiveDays}:${filter.includeOutdated}:${filter.productCode ?? ''}:${filter.groupId ?? ''}`;
    const cursor = query.next_cursor ? this.cursors.decode(query.next_cursor, { account: account.id, resource }) : null;
    const after = cursor ? decodePosition(cursor.k) : null;
    const limit = pageLimit(query.limit, cursor);
    const rows = await this.seats.reclaimablePage(snapshot, filter, after, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? this.cursors.encode({ a: account.id, r: resource, k: JSON.stringify([last.activity_key, last.id]), l: limit }) : null;
    const prices = seatPricesOf(account);
    const items = page.map((seat) => seatJson(seat, filter.cutoff, now, prices)).join(',');
    const summary = await this.summary(snapshot, filter, inactiveDays, prices);
    return Buffer.from(
      `{"result":[${items}],"next_cursor":${JSON.stringify(next)},"result_count":${page.length},"summary":${JSON.stringify(summary)},${freshnessMembers(freshness)}}`,
    );
  }

  private async summary(snapshot: string, filter: SeatFilter, inactiveDays: number, prices: SeatPrices | null): Promise<ReclaimSummary> {
    const key = `${snapshot}|${filter.includeOutdated}|${filter.productCode ?? ''}|${filter.groupId ?? ''}|${inactiveDays}`;
    let counts = this.counts.get(key, filter.cutoff);
    if (!counts) {
      counts = await this.seats.counts(snapshot, filter, 'product_code');
      this.counts.set(key, counts, filter.cutoff, await this.seats.nextTurningPoint(snapshot, filter));
    }
    let neverUsed = 0;
    let inactive = 0;
    let cost: number | null = null;
    for (const product of counts) {
      neverUsed += product.never_used;
      inactive += product.inactive;
      const price = monthlyPrice(prices, product.key);
      if (price !== null) cost = (cost ?? 0) + price * (product.never_used + product.inactive);
    }
    return {
      inactive_days: inactiveDays,
      reclaimable: neverUsed + inactive,
      by_reason: { never_used: neverUsed, inactive },
      by_product: counts.map((p) => ({
        product_code: p.key,
        product_name: p.product_name,
        reclaimable: p.never_used + p.inactive,
        assigned: p.assigned,
      })),
      monthly_cost: cost === null ? null : roundMoney(cost),
      currency: prices?.currency ?? null,
    };
  }
}

/** A stored seat with what depends on the request spliced in: reason, days inactive, monthly cost. */
function seatJson(seat: StoredSeat, cutoff: string, now: number, prices: SeatPrices | null): string {
  const reason = reclaimReason(seat, cutoff);
  const price = monthlyPrice(prices, seat.product_code);
  const extra = `"reason":${JSON.stringify(reason)},"days_inactive":${JSON.stringify(daysInactive(seat, now))},"monthly_cost":${price === null ? 'null' : roundMoney(price)}`;
  return `${seat.data.slice(0, -1)},${extra}}`;
}

function seatPricesOf(account: AccountRow): SeatPrices | null {
  return account.seat_prices ? (JSON.parse(account.seat_prices) as SeatPrices) : null;
}

function decodePosition(k: string): [string, string] {
  const position = JSON.parse(k) as unknown;
  if (!Array.isArray(position) || position.length !== 2 || !position.every((p) => typeof p === 'string')) {
    throw new HubError('INVALID_CURSOR', 'next_cursor is malformed');
  }
  return position as [string, string];
}
