import { Injectable } from '@nestjs/common';
import type { UnifiedLicensePlan } from '../connector-kit';
import { planKey } from '../connector-kit';
import { DEFAULT_INACTIVE_DAYS, inactivityCutoff } from '../seats/seat-rules';
import { SeatCounts, SeatFilter, SeatsRepository } from '../store/seats.repository';
import type { DirectoryRecord } from '../store/directory.repository';
import { CutoffCache } from './cutoff-cache';

export interface PlanUtilization {
  inactive_days: number;
  /** Seats held by people that are neither inactive nor never used (a seat assigned within the window counts here). */
  active: number;
  inactive: number;
  never_used: number;
}

/**
 * How the seats of each plan held by people are used, by the reclaim rules (src/seats/seat-rules.ts)
 * for one inactivity window: spliced into each plan as `utilization` at read time.
 */
@Injectable()
export class PlanUtilizationService {
  private readonly counts = new CutoffCache<SeatCounts[]>();

  constructor(private readonly seats: SeatsRepository) {}

  /** The plan records' JSON with `utilization` added. */
  async render(snapshot: string, plans: DirectoryRecord[], options: { inactiveDays?: number; includeOutdated: boolean }, now = Date.now()): Promise<string[]> {
    const inactiveDays = options.inactiveDays ?? DEFAULT_INACTIVE_DAYS;
    const filter: SeatFilter = { cutoff: inactivityCutoff(now, inactiveDays), includeOutdated: options.includeOutdated };
    const key = `${snapshot}|${filter.includeOutdated}|plans|${inactiveDays}`;
    let counts = this.counts.get(key, filter.cutoff)?.value;
    if (!counts) {
      counts = await this.seats.counts(snapshot, filter, 'plan_key');
      this.counts.set(key, counts, filter.cutoff, await this.seats.nextTurningPoint(snapshot, filter));
    }
    const byPlan = new Map(counts.map((c) => [c.key, c]));
    return plans.map((row) => {
      const plan = JSON.parse(row.data) as UnifiedLicensePlan;
      const held = byPlan.get(planKey(plan));
      const utilization: PlanUtilization = {
        inactive_days: inactiveDays,
        active: held ? held.assigned - held.inactive - held.never_used : 0,
        inactive: held?.inactive ?? 0,
        never_used: held?.never_used ?? 0,
      };
      return `${row.data.slice(0, -1)},"utilization":${JSON.stringify(utilization)}}`;
    });
  }
}
