import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * What the fields every resource shares mean, said once: a schema property with one of these names
 * and no description of its own gets this one. A DTO that means something else by the name
 * describes it itself (its description wins).
 */
const COMMON_FIELDS: Record<string, string> = {
  id: 'The identifier of this object (stable, opaque; hub ids sort by creation time)',
  name: 'Display name',
  email: 'Email address, as the upstream gives it (null when the upstream hides it)',
  created_at: 'When it was created (ISO 8601, UTC)',
  updated_at: 'When it last changed (ISO 8601, UTC)',
  expires_at: 'When it stops working (ISO 8601, UTC); null: never',
  occurred_at: 'When it happened (ISO 8601, UTC)',
  started_at: 'When it started (ISO 8601, UTC); null until then',
  finished_at: 'When it ended (ISO 8601, UTC); null while it runs',
  assigned_at: 'When the seat was assigned to this person (ISO 8601, UTC), if the upstream says',
  last_active_at: 'Last activity the upstream reports (ISO 8601, UTC); null: never used',
  last_attempt_at: 'When the last attempt was made (ISO 8601, UTC)',
  next_attempt_at: 'When the next attempt is due (ISO 8601, UTC); null: none planned',
  valid_until: 'When the license or plan ends (ISO 8601, UTC)',
  result: 'This page of results',
  result_count: 'How many results this page holds',
  next_cursor: 'Send it as next_cursor to get the next page; null: this was the last page',
  integration: 'The connector id (see GET /integrations), e.g. jetbrains or atlassian',
  integrated_account_id: 'The integrated account this comes from',
  tenant_id: 'The tenant it belongs to; null: none',
  status: 'Current state (the values are listed in the enum)',
  scope: 'admin: every route; read: GET and HEAD only',
  product_code: 'The upstream\'s product code (JetBrains: II, GO …; Atlassian: jira-software …)',
  product_name: 'The product\'s display name',
  user_id: 'The unified user id (GET /unified/user-directory/users/{id})',
  remote_id: 'The object\'s id in the upstream system',
  first_name: 'Given name, if the upstream has it',
  last_name: 'Family name, if the upstream has it',
  emails: 'Every email address the upstream lists for the person',
  groups: 'Groups (JetBrains teams) the person is in',
  licenses: 'Seats the person holds',
  accounts: 'The person in each integrated account that holds them',
  inactive_days: 'The inactivity window in days: a seat unused for longer is reclaimable',
  inactive: 'Seats used, but not within inactive_days',
  never_used: 'Seats never used',
  reason: 'Why the seat is reclaimable: never_used or inactive',
  description: 'Free text for people',
  events: 'Event types this endpoint receives; ["*"]: all',
  url: 'Where the hub sends the events (http or https)',
  enabled: 'Whether deliveries are made; false: paused or disabled (see disabled_reason)',
  attempts: 'Delivery attempts made so far',
  last_error: 'What went wrong at the last attempt; null: nothing',
  last_response_code: 'HTTP status of the last attempt; null: no answer',
  event_type: 'The event\'s type',
  action: 'What was done (integrated_account.created, api_key.revoked …)',
  actor: 'Who did it: the API key (id and name) or root',
  outcome: 'success or failure',
  client_ip: 'The client address the request came from',
  target: 'What it was done to (type and id)',
  type: 'Kind of object or event',
  trigger: 'What started it: initial, scheduled or manual',
  duration_ms: 'How long it took, in milliseconds',
  member_count: 'How many people are in it',
  currency: 'ISO 4217 currency of the prices',
  by_product: 'Counts per product',
  by_reason: 'Counts per reason',
  summary: 'Totals over every result, not only this page',
  team: 'The JetBrains team the plan belongs to',
  subscription_pack: 'The subscription pack the seats come from',
  suspended: 'Whether the upstream suspended it',
  trial: 'Whether it is a trial',
  is_trial: 'Whether it is a trial',
  is_primary: 'Whether it is the primary address',
  group: 'The group (team) the seat counts in',
  license_status: 'The seat\'s status upstream',
  sync_run_id: 'The sync run that recorded it',
  field: 'The field that changed',
  after: 'Its value after the change',
  before: 'Its value before the change',
  access: 'What the credentials give access to, as the connector learnt when testing them',
  organization: 'The upstream organization the credentials open (id and name)',
  role: 'The role the credentials have upstream, if it says',
  teams: 'Teams the credentials can see, if any',
  extra: 'Connector-specific facts (token type, APIs found, site …)',
  last_synced_at: 'When the last successful sync finished (ISO 8601, UTC); null: never',
  last_sync_status: 'How the last sync ended; null: none yet',
};

export function describeCommonFields(document: OpenAPIObject): OpenAPIObject {
  for (const schema of Object.values(document.components?.schemas ?? {})) {
    const properties = (schema as { properties?: Record<string, { description?: string; $ref?: string; allOf?: unknown }> }).properties ?? {};
    for (const [name, property] of Object.entries(properties)) {
      const meaning = COMMON_FIELDS[name];
      if (property.description || !meaning) continue;
      if (property.$ref) {
        // A $ref cannot carry siblings in OpenAPI 3.0: wrapped, so the description shows.
        properties[name] = { allOf: [{ $ref: property.$ref }], description: meaning };
      } else {
        property.description = meaning;
      }
    }
  }
  return document;
}
