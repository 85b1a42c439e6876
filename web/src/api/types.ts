import type { components } from './schema';

/** Shorthands for the generated schema's types the pages use. */
type S = components['schemas'];
export type Account = S['AccountView'];
export type SyncRun = S['SyncRunView'];
export type Person = S['PersonView'];
export type ReclaimableSeat = S['ReclaimableSeatView'];
export type ReclaimSummary = S['ReclaimSummary'];
export type LicensePlan = S['UnifiedLicensePlanView'];
export type Change = S['ChangeView'];
export type ApiKey = S['ApiKeyView'];
export type Webhook = S['WebhookView'];
export type Delivery = S['DeliveryView'];

/** A manifest credential field as GET /integrations lists it. */
export interface CredentialField {
  name: string;
  label: string;
  description: string | null;
  secret: boolean;
  required: boolean;
  pattern: string | null;
  type: 'string' | 'boolean';
}

export interface Integration {
  id: string;
  name: string;
  description: string | null;
  credentials: CredentialField[];
}

/** What POST /session and GET /session answer. */
export interface Session {
  key: { id: string; name: string; scope: 'admin' | 'read'; tenant_id: string | null };
  csrf_token: string;
  expires_at: string;
}
