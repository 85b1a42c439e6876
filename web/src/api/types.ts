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
export type ConnectLink = S['ConnectSessionListItem'];

export type CredentialField = S['CredentialFieldView'];
export type Integration = S['IntegrationView'];
export type Session = S['SessionView'];
export type TestedCredentials = S['TestedCredentialsView'];
