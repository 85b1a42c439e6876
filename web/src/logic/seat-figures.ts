import type { LicensePlan, ReclaimableSeat } from '../api/types';

/** One bar's figures: seats held and used, held and idle, never used, and free to assign. */
export interface SeatFigures {
  label: string;
  active: number;
  inactive: number;
  never_used: number;
  /** null when the upstream has no purchased-seat figure (Atlassian). */
  available: number | null;
}

/** Plans summed per product, or per product and team: the bars of the chart, by label. */
export function seatBars(plans: LicensePlan[], byTeam: boolean): SeatFigures[] {
  const bars = new Map<string, SeatFigures>();
  for (const plan of plans) {
    const team = byTeam ? plan.team?.name : undefined;
    const label = `${plan.product_name ?? plan.product_code}${team ? ` · ${team}` : ''}`;
    const bar = bars.get(label) ?? { label, active: 0, inactive: 0, never_used: 0, available: 0 };
    bar.active += plan.utilization.active;
    bar.inactive += plan.utilization.inactive;
    bar.never_used += plan.utilization.never_used;
    bar.available = plan.available === null || bar.available === null ? null : bar.available + plan.available;
    bars.set(label, bar);
  }
  return [...bars.values()].sort((a, b) => a.label.localeCompare(b.label));
}

export const CSV_HEADER = ['email', 'name', 'product_code', 'product_name', 'team', 'reason', 'assigned_at', 'last_active_at', 'days_inactive', 'monthly_cost', 'currency'];

/** One reclaimable seat as a CSV row under CSV_HEADER; the currency only beside a cost. */
export function csvRow(seat: ReclaimableSeat, currency: string | null): (string | number | null)[] {
  return [seat.email, seat.name, seat.product_code, seat.product_name, seat.group?.name ?? null, seat.reason, seat.assigned_at, seat.last_active_at, seat.days_inactive, seat.monthly_cost, seat.monthly_cost === null ? null : currency];
}
