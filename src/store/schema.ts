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
}

export interface Database {
  accounts: AccountsTable;
  sync_runs: SyncRunsTable;
  directory_records: DirectoryRecordsTable;
}
