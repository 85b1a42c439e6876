/**
 * The Unified User Directory schema the hub serves. snake_case, ISO 8601 UTC dates, null for
 * "unknown" rather than missing keys, so clients can rely on every field being present.
 */
export interface UnifiedEmail {
  email: string;
  type: 'work' | 'personal' | 'other';
  is_primary: boolean;
}

export interface UnifiedRef {
  id: string;
  name: string | null;
}

/** One license/product access a user holds. */
export interface UnifiedUserLicense {
  id: string;
  product_code: string;
  /** The product's name, beside every product_code the hub serves. */
  product_name: string | null;
  /** The same name, kept for clients written before product_name. */
  name: string | null;
  status: 'active' | 'suspended' | 'outdated' | string;
  is_trial: boolean;
  team: UnifiedRef | null;
  subscription_pack: string | null;
  valid_until: string | null;
  assigned_at: string | null;
  last_active_at: string | null;
}

export interface UnifiedUser {
  id: string;
  remote_id: string;
  email: string | null;
  emails: UnifiedEmail[];
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  status: 'active' | 'suspended' | 'inactive' | 'deleted' | string;
  licenses: UnifiedUserLicense[];
  groups: UnifiedRef[];
  last_active_at: string | null;
  integration: string;
  /** Connectors with a notion of account type (Atlassian) fill it; null otherwise. */
  account_type?: string | null;
  /** Whether the upstream bills this user (Atlassian Guard); null when the upstream does not say. */
  is_billable?: boolean | null;
  remote_data?: unknown;
}

export interface UnifiedGroup {
  id: string;
  name: string | null;
  member_count: number;
  integration: string;
  remote_data?: unknown;
}

/** A plan: seats of one product (per team and subscription pack where the upstream has them). */
export interface UnifiedLicensePlan {
  id: string;
  product_code: string;
  product_name: string | null;
  /** The same as product_name, kept for clients written before it. */
  name: string | null;
  team: UnifiedRef | null;
  subscription_pack: string | null;
  /**
   * Seats bought: total = assigned + available + unavailable. Null where the upstream has no
   * purchased-seat figure (Atlassian), rather than a copy of `assigned`.
   */
  total: number | null;
  assigned: number;
  /** Unassigned and assignable; null where unknown. */
  available: number | null;
  /** Unassigned and not assignable (JetBrains: isAvailableToAssign false); null where unknown. */
  unavailable: number | null;
  suspended: number;
  trial: number;
  valid_until: string | null;
  integration: string;
  /** Seat activity where the upstream reports usage (Atlassian): users active in the last 30/90 days. */
  active_last_30_days?: number | null;
  active_last_90_days?: number | null;
}

export type DirectoryResource = 'users' | 'groups' | 'licenses';
