/** Atlassian organization Admin API wire shapes (reference: upstream-apis.md §3). Absent means omitted. */
export interface AtlOrg {
  id: string;
  type: 'orgs';
  attributes: { name: string };
  links?: { self?: string };
}

export interface AtlProductAccessV1 {
  key: string;
  name: string;
  url?: string;
  /** `yyyy-MM-dd` or full ISO 8601; the format is not pinned down (reference §3.3). */
  last_active?: string;
}

/** v1 `/admin/v1/orgs/{orgId}/users`: managed accounts only, snake_case. */
export interface AtlUserV1 {
  account_id: string;
  account_type: 'atlassian' | 'customer' | 'app' | string;
  account_status: 'active' | 'inactive' | 'closed' | string;
  name: string;
  picture: string;
  email?: string;
  access_billable?: boolean;
  last_active?: string;
  product_access: AtlProductAccessV1[];
  links?: { self?: string };
}

/** v2 directory users: managed and unmanaged, camelCase; productAccess and groups only when expanded. */
export interface AtlUserV2 {
  accountId: string;
  accountType: string;
  status: 'active' | 'suspended' | 'not_invited' | 'deactivated' | 'for_deletion' | string;
  accountStatus: 'active' | 'inactive' | 'closed' | string;
  membershipStatus: 'active' | 'suspended' | 'no_membership' | string;
  addedToOrg?: string;
  name: string;
  nickname?: string;
  email?: string;
  emailVerified?: boolean;
  claimStatus: 'managed' | 'unmanaged' | string;
  picture?: string;
  productAccess?: { key: string; id: string; lastActiveTimestamp?: string }[];
  groups?: { id: string; name: string; description?: string }[];
}

export interface AtlGroup {
  id: string;
  name: string;
  description?: string;
  counts?: { members?: number };
}

/** v1 lists: `links.next` is a URL carrying `cursor`. */
export interface AtlV1Page<T> {
  data: T[];
  meta?: { total?: number };
  links?: { self?: string; prev?: string; next?: string };
}

/** v2 lists: `links.next` is the cursor itself. */
export interface AtlV2Page<T> {
  data: T[];
  links?: { self?: string; next?: string };
}

export interface AtlErrorBody {
  errors?: { id?: string; status?: string; code?: string; title?: string; detail?: string }[];
}
