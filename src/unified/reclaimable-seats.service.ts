import { Injectable } from '@nestjs/common';
import { CursorCodec } from '../common/cursor-codec';
import { HubError } from '../common/errors';
import { pageLimit } from '../common/list-query.dto';
import { AccountsService } from '../accounts/accounts.service';
import type { Viewer } from '../auth/principal';
import { monthlyPrice, roundMoney, SeatPrices } from '../seats/seat-prices';
import { daysInactive, DEFAULT_INACTIVE_DAYS, inactivityCutoff, isNeverUsed, reclaimReason } from '../seats/seat-rules';
import type { AccountRow } from '../store/accounts.repository';
import { SeatCounts, SeatFilter, SeatsRepository, StoredSeat } from '../store/seats.repository';
import type { ReclaimableSeatsQuery, ReclaimSummary } from './reclaimable-seats.dto';
import { closeEnvelope, JsonPieces } from './freshness';
import { CutoffCache } from './cutoff-cache';
import { UnifiedService } from './unified.service';

const DAY_MS = 86_400_000;
/** Rendered pages kept (a page of 200 seats is about 100 KB). */
const PAGES_KEPT = 200;

/**
 * Seats that can be reclaimed, from the account's current snapshot: a keyset page in
 * (last activity, id) order, never-used seats first, and a summary over the whole filtered set.
 * The rules are in src/seats/seat-rules.ts.
 */
@Injectable()
export class ReclaimableSeatsService {
  private readonly counts = new CutoffCache<SeatCounts[]>();
  /** Rendered pages (without the freshness fields, added per request): exact while the cutoff and the day counts hold. */
  private readonly pages = new CutoffCache<Buffer>(PAGES_KEPT);

  constructor(
    private readonly accounts: AccountsService,
    private readonly unified: UnifiedService,
    private readonly seats: SeatsRepository,
    private readonly cursors: CursorCodec,
  ) {}

  async list(query: ReclaimableSeatsQuery, viewer: Viewer, now = Date.now()): Promise<JsonPieces> {
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
    const pageKey = `${snapshot}|${resource}|${cursor?.k ?? ''}|${limit}|${account.seat_prices ?? ''}`;
    const cached = this.pages.get(pageKey, filter.cutoff, now);
    if (cached) return closeEnvelope(cached.value, freshness);
    const rows = await this.seats.reclaimablePage(snapshot, filter, after, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? this.cursors.encode({ a: account.id, r: resource, k: JSON.stringify([last.activity_key, last.id]), l: limit }) : null;
    const prices = seatPricesOf(account);
    const items = page.map((seat) => seatJson(seat, filter.cutoff, now, prices)).join(',');
    const { summary, validThrough } = await this.summary(snapshot, filter, inactiveDays, prices);
    // Stored open: the freshness fields are added per answer (see closeEnvelope).
    const body = Buffer.from(`{"result":[${items}],"next_cursor":${JSON.stringify(next)},"result_count":${page.length},"summary":${JSON.stringify(summary)}`);
    // Which seats are listed changes only at the turning point; days_inactive when the next day of one begins.
    this.pages.set(pageKey, body, filter.cutoff, validThrough, nextDayBegins(page, now));
    return closeEnvelope(body, freshness);
  }

  /** The summary, and the turning point up to which it (and the list) holds. */
  private async summary(snapshot: string, filter: SeatFilter, inactiveDays: number, prices: SeatPrices | null): Promise<{ summary: ReclaimSummary; validThrough: string | null }> {
    const key = `${snapshot}|${filter.includeOutdated}|${filter.productCode ?? ''}|${filter.groupId ?? ''}|${inactiveDays}`;
    let entry = this.counts.get(key, filter.cutoff);
    if (!entry) {
      const counts = await this.seats.counts(snapshot, filter, 'product_code');
      const validThrough = await this.seats.nextTurningPoint(snapshot, filter);
      this.counts.set(key, counts, filter.cutoff, validThrough);
      entry = { value: counts, validThrough };
    }
    const counts = entry.value;
    let neverUsed = 0;
    let inactive = 0;
    let cost: number | null = null;
    for (const product of counts) {
      neverUsed += product.never_used;
      inactive += product.inactive;
      const price = monthlyPrice(prices, product.key);
      if (price !== null) cost = (cost ?? 0) + price * (product.never_used + product.inactive);
    }
    const summary: ReclaimSummary = {
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
    return { summary, validThrough: entry.validThrough };
  }
}

/** A stored seat with what depends on the request spliced in: reason, days inactive, monthly cost. */
function seatJson(seat: StoredSeat, cutoff: string, now: number, prices: SeatPrices | null): string {
  const reason = reclaimReason(seat, cutoff);
  const price = monthlyPrice(prices, seat.product_code);
  const extra = `"reason":${JSON.stringify(reason)},"days_inactive":${JSON.stringify(daysInactive(seat, now))},"monthly_cost":${price === null ? 'null' : roundMoney(price)}`;
  return `${seat.data.slice(0, -1)},${extra}}`;
}

/**
 * When a day count on the page next changes: the soonest moment one more whole day has passed
 * since a seat's last activity (or, never used, its assignment). Null when no seat counts days.
 */
function nextDayBegins(page: StoredSeat[], now: number): number | null {
  let soonest: number | null = null;
  for (const seat of page) {
    const since = isNeverUsed(seat) ? seat.assigned_at : seat.last_active_at;
    if (since === null) continue;
    const start = Date.parse(since);
    const next = start + (Math.max(0, Math.floor((now - start) / DAY_MS)) + 1) * DAY_MS;
    if (soonest === null || next < soonest) soonest = next;
  }
  return soonest;
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
