/**
 * Events the accounts module emits (through @nestjs/event-emitter), so the modules above it react
 * to an account's life without the accounts module knowing them.
 */
export const ACCOUNT_CREATED = 'integrated_account.created';
/** New credentials were stored (tested first): what the account serves should be read with them. */
export const ACCOUNT_CREDENTIALS_CHANGED = 'integrated_account.credentials_changed';

/** The payload of both events. */
export interface AccountCreatedEvent {
  accountId: string;
}

/** The account's credentials stopped working (a sync or a test got UPSTREAM_AUTH_FAILED). */
export const ACCOUNT_NEEDS_REAUTH = 'integrated_account.needs_reauth';
/** An account that needed reauthentication works again (new credentials, or a test that passed). */
export const ACCOUNT_REACTIVATED = 'integrated_account.reactivated';
/**
 * Emitted (awaited) just before an account and its rows (sync runs, changes) are deleted, so a
 * listener can settle what hangs on them first.
 */
export const ACCOUNT_DELETING = 'integrated_account.deleting';
/** Emitted after the account and its rows are gone. */
export const ACCOUNT_DELETED = 'integrated_account.deleted';

/** What the account events after creation carry: never a credential. */
export interface AccountChangedEvent {
  accountId: string;
  integration: string;
  name: string;
  status: string;
  /** The account's tenant (null: none), so listeners can keep a tenant's events within it. */
  tenantId?: string | null;
}
