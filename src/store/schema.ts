/** Table shapes. Dates are ISO 8601 UTC strings in both SQLite and PostgreSQL. */
export interface AccountsTable {
  id: string;
  integration: string;
  name: string;
  status: string;
  /** AES-256-GCM sealed JSON of the credentials (see CredentialCipher). */
  credentials: string;
  credentials_key_id: string;
  /** JSON of AuthenticationResult: org, role, teams. Holds no secret. */
  access: string;
  current_snapshot_id: string | null;
  last_synced_at: string | null;
  last_sync_status: string | null;
  created_at: string;
  updated_at: string;
  /** JSON of SeatPrices ({ currency, prices }), or null when none were set. */
  seat_prices?: string | null;
  /** The inactivity window of the account's change feed (seat.reclaimable); null: the default, 60. */
  inactive_days?: number | null;
  /** The tenant the account belongs to (chosen at connect); null: untenanted, seen by untenanted keys only. */
  tenant_id?: string | null;
  /**
   * [integration, tenant, organization id] as JSON, unique: set on the account holding that
   * organization in its tenant, null on duplicates connected with allow_duplicate.
   */
  organization_key?: string | null;
}

export interface SyncRunsTable {
  id: string;
  account_id: string;
  trigger: string;
  status: string;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON: pages, records, users added/removed/changed, retries, progress. */
  stats: string;
  error_code: string | null;
  error_message: string | null;
  /** The hub replica running (or holding in its queue) this run; null once it is queued in a shared queue. */
  owner: string | null;
  /** Until when the owner's claim holds; the owner renews it while the run is unfinished, others reclaim it after. */
  lease_until: string | null;
  /** A trigger asked for while this run was going: one more run follows it. */
  follow_up: string | null;
}

/** Unified records of one snapshot; a snapshot id is the id of the sync run that wrote it. */
export interface DirectoryRecordsTable {
  snapshot_id: string;
  kind: string;
  id: string;
  /** The unified record as JSON, without remote_data. */
  data: string;
  /** The raw upstream data as JSON, served only on request. */
  remote_data: string | null;
  /** Or, instead: a JSON array of the ids of its remote_parts; remote_data is their array. */
  remote_part_ids: string | null;
}

/**
 * Raw upstream data stored in pieces, for records whose raw data is known piece by piece before the
 * record itself (JetBrains: each raw license, written while pages download, before the person's
 * record can be built). Such a record names its parts in `directory_records.remote_part_ids`.
 */
export interface RemotePartsTable {
  snapshot_id: string;
  /** The list the owning records are in (`users`). */
  kind: string;
  part_id: string;
  data: string;
}

/** Seats of one snapshot, derived from its users (see src/connector-kit/derived-rows.ts). */
export interface SeatsTable {
  snapshot_id: string;
  id: string;
  product_code: string;
  product_name: string | null;
  group_id: string | null;
  /** JSON [product_code, team id, subscription pack]: the plan the seat counts in. */
  plan_key: string;
  /** 1 when the license's subscription is outdated (only in the outdated-inclusive view). */
  outdated: number;
  /** 1 when no activity was recorded since the seat's current assignment. */
  never_used: number;
  /** '' for a never-used seat, else last_active_at: the order reclaimable seats are served in. */
  activity_key: string;
  assigned_at: string | null;
  last_active_at: string | null;
  /** The seat as JSON (id, user, product, group, dates, license status). */
  data: string;
}

/** People of one snapshot by lowercased email (see src/connector-kit/derived-rows.ts). */
export interface PeopleTable {
  snapshot_id: string;
  email: string;
  user_id: string;
  /** JSON: user_id, status, last_active_at, licenses [{ product_code, product_name, last_active_at }]. */
  data: string;
}

/** Scoped API keys (HUB_API_KEY, the root key, is not stored). Never holds a key, only its hash. */
export interface ApiKeysTable {
  id: string;
  name: string;
  /** `admin` (everything) or `read` (GET and HEAD only). */
  scope: string;
  /** Null: the key is not confined to a tenant (it sees every tenant's accounts). */
  tenant_id: string | null;
  /** The first characters of the key (`hub_` and 8 more), to recognise it in a list. */
  prefix: string;
  /** SHA-256 of the whole key, hex. */
  key_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Browser sessions (POST /session). Never holds the cookie value, only its SHA-256. */
export interface BrowserSessionsTable {
  id: string;
  /** SHA-256 of the cookie value, hex. */
  token_hash: string;
  /** The API key that signed in, or 'root' (HUB_API_KEY). */
  key_id: string;
  /** For 'root': SHA-256 of the root key then, hex, so a new HUB_API_KEY ends the old one's sessions. */
  root_key_hash: string | null;
  created_at: string;
  expires_at: string;
}

/** Connect links (POST /connect-sessions). Never holds the token, only its SHA-256. */
export interface ConnectSessionsTable {
  id: string;
  /** SHA-256 of the hubcs_ token, hex. */
  token_hash: string;
  tenant_id: string;
  /** JSON array of connector ids the link may connect; null: every one. */
  integrations: string | null;
  created_by_key_id: string;
  created_at: string;
  expires_at: string;
  /** Set when an account creation claimed the link (cleared again if that creation failed). */
  used_at: string | null;
  account_id: string | null;
  /** Set when an admin withdrew the link (DELETE /connect-sessions/:id); its expires_at is then that moment. */
  revoked_at: string | null;
}

/** The change feed: what a sync found changed since the account's previous snapshot. */
export interface ChangesTable {
  account_id: string;
  /** Increasing per account, in the order the changes were found. */
  seq: number;
  sync_run_id: string;
  /** user.added | user.removed | user.updated | seat.reclaimable */
  type: string;
  /** When the sync that found it finished. */
  occurred_at: string;
  /** JSON: user_id, email, name, and changes [{ field, before, after }] or the seat. */
  data: string;
}

/** One write the hub made or passed on (src/audit). Holds no secret, body or query value. */
export interface AuditEventsTable {
  id: string;
  occurred_at: string;
  /** The tenant the write belongs to; null until tenants exist (and for hub-wide writes). */
  tenant_id: string | null;
  /** 'root' (HUB_API_KEY) or the id of the stored API key. */
  actor_key_id: string;
  /** 'root', or the key's name when the write was made. */
  actor_name: string;
  /** e.g. integrated_account.created, proxy.write, api_key.revoked */
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** success | failure */
  outcome: string;
  /** The HTTP status answered. */
  status: number;
  /** The hub's error code when the hub itself failed the write. */
  error_code: string | null;
  client_ip: string | null;
  /** JSON: facts about the write (credentials changed yes/no, proxied method and path, …). */
  details: string;
}

/** A webhook endpoint (see src/webhooks). Secrets only sealed. */
export interface WebhookEndpointsTable {
  id: string;
  /** Null: not confined to a tenant (tenants come later). */
  tenant_id: string | null;
  url: string;
  description: string | null;
  /** JSON array of event types, or ["*"]. */
  events: string;
  /** 1 or 0. */
  enabled: number;
  /** Why the hub disabled it (410 Gone, 24 h of failures); null when enabled or disabled by PATCH. */
  disabled_reason: string | null;
  /** Sealed `whsec_…` signing secret (CredentialCipher, bound to the endpoint id). */
  secret: string;
  secret_key_id: string;
  /** Sealed secret of before the last rotation, signing beside the new one until it expires. */
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  /** First failed attempt since the last success; null while it succeeds. */
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

/** The webhook outbox: one event as sent (`{ type, timestamp, data }`). */
export interface WebhookMessagesTable {
  /** `msg_…`, increasing in the order written: the order of delivery per (endpoint, account). */
  id: string;
  tenant_id: string | null;
  account_id: string | null;
  /** Set while the run that wrote it has not succeeded yet; cleared once it has. */
  sync_run_id: string | null;
  type: string;
  body: string;
  created_at: string;
}

/** A message to one endpoint, and how sending it went. */
export interface WebhookDeliveriesTable {
  endpoint_id: string;
  message_id: string;
  /** The account the message is about, or '' : deliveries of one (endpoint, account) go in order. */
  account_key: string;
  /** pending | delivered | failed (retries exhausted) */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  /** A replica sending it holds it until then. */
  claimed_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  created_at: string;
}

export interface Database {
  accounts: AccountsTable;
  sync_runs: SyncRunsTable;
  directory_records: DirectoryRecordsTable;
  remote_parts: RemotePartsTable;
  seats: SeatsTable;
  people: PeopleTable;
  api_keys: ApiKeysTable;
  browser_sessions: BrowserSessionsTable;
  connect_sessions: ConnectSessionsTable;
  changes: ChangesTable;
  audit_events: AuditEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_messages: WebhookMessagesTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
