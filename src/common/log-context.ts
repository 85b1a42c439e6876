import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written inside a scope carries (in JSON logs): which run, which account. */
export interface LogFields {
  run_id?: string;
  account_id?: string;
}

const scope = new AsyncLocalStorage<LogFields>();

/**
 * Runs `work` with `fields` added to every log line it writes, however deep (the upstream client's
 * retry warnings during a sync carry the run and the account without knowing them). Nested scopes
 * add to the outer one.
 */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
  return scope.run({ ...scope.getStore(), ...fields }, work);
}

/** The fields of the scope in play (none outside any). */
export function currentLogFields(): LogFields {
  return scope.getStore() ?? {};
}
