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
