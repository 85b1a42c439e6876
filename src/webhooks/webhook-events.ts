import { ACCOUNT_CREATED, ACCOUNT_DELETED, ACCOUNT_NEEDS_REAUTH, ACCOUNT_REACTIVATED } from '../accounts/account-events';

/** The events an endpoint can subscribe to (or "*" for all of them). */
export const WEBHOOK_EVENT_TYPES = [
  ACCOUNT_CREATED,
  ACCOUNT_NEEDS_REAUTH,
  ACCOUNT_REACTIVATED,
  ACCOUNT_DELETED,
  'sync.succeeded',
  'sync.failed',
  'user.added',
  'user.removed',
  'user.updated',
  'seat.reclaimable',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by POST /webhooks/:id/test only, whatever the endpoint subscribed to. */
export const WEBHOOK_TEST = 'webhook.test';

export const ALL_EVENTS = '*';

/** Whether an endpoint's subscription (its stored JSON `events`) takes `type`. */
export function subscribes(events: string[], type: string): boolean {
  return events.includes(ALL_EVENTS) || events.includes(type);
}
