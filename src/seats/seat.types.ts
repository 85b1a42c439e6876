import type { UnifiedRef } from '../connector-kit';
import type { ReclaimReason } from './seat-rules';

/** One seat held by a person, as a sync derives it from the unified users (see seat-derivation.ts). */
export interface Seat {
  /** The license id (JetBrains), or `<user id>:<product key>` where a license is a product access (Atlassian). */
  id: string;
  user_id: string;
  email: string | null;
  name: string | null;
  product_code: string;
  product_name: string | null;
  group: UnifiedRef | null;
  subscription_pack: string | null;
  assigned_at: string | null;
  last_active_at: string | null;
  license_status: string;
  /** Only in the outdated-inclusive view (its subscription has lapsed). */
  outdated: boolean;
}

/** A reclaimable seat as served: the stored seat plus what depends on the request. */
export interface ReclaimableSeat extends Omit<Seat, 'outdated'> {
  reason: ReclaimReason;
  days_inactive: number | null;
  monthly_cost: number | null;
}
