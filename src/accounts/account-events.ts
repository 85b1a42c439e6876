/**
 * Events the accounts module emits (through @nestjs/event-emitter), so the modules above it react
 * to an account's life without the accounts module knowing them.
 */
export const ACCOUNT_CREATED = 'integrated_account.created';

export interface AccountCreatedEvent {
  accountId: string;
}
