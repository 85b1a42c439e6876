import { HubError } from '../common/errors';
import type { Credentials } from '../connector-kit/connector.contract';
import type { ManifestEntry } from '../integrations/manifest';

const YES = new Set(['true', 'yes']);
const NO = new Set(['false', 'no']);

/** Visible ASCII only: what every API key, token and id the connectors know is made of. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * Checks submitted credentials against the connector's manifest fields: required ones present,
 * strings (or booleans for a `boolean` field), matching their pattern, nothing unknown. Messages
 * name fields, never echo values.
 */
export function validateCredentials(entry: ManifestEntry, input: unknown): Credentials {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HubError('VALIDATION_FAILED', `credentials must be an object with ${entry.credentials.map((f) => f.name).join(', ')}`, {
      details: { field: 'credentials' },
    });
  }
  const given = input as Record<string, unknown>;
  const errors: string[] = [];
  const fields: string[] = [];
  const out: Credentials = {};
  const known = new Set(entry.credentials.map((f) => f.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) errors.push(`credentials.${name} is not a ${entry.name} credential (expected ${[...known].join(', ')})`);
  }
  for (const field of entry.credentials) {
    const raw = given[field.name];
    if (raw === undefined || raw === null || raw === '') {
      if (field.required) errors.push(`credentials.${field.name} (${field.label}) is required`);
      continue;
    }
    if (field.type === 'boolean') {
      const word = typeof raw === 'boolean' ? String(raw) : typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (YES.has(word)) out[field.name] = 'true';
      else if (NO.has(word)) out[field.name] = 'false';
      else errors.push(`credentials.${field.name} (${field.label}) must be true or false (or "yes" / "no")`);
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      errors.push(`credentials.${field.name} (${field.label}) must be a string`);
      continue;
    }
    const value = String(raw).trim();
    if (!value) {
      if (field.required) errors.push(`credentials.${field.name} (${field.label}) is required`);
      continue;
    }
    // Credentials travel in HTTP headers: a line break or a non-ASCII character would make every
    // request fail before it is sent, so it is refused here, once, naming the field.
    if (!HEADER_SAFE.test(value)) {
      fields.push(`credentials.${field.name}`);
      errors.push(
        `credentials.${field.name} (${field.label}) contains a character that cannot be sent in an HTTP header ` +
          '(a line break, a space, a control character or a non-ASCII letter); paste the value again, copied in full',
      );
      continue;
    }
    if (field.pattern && !new RegExp(field.pattern).test(value)) {
      errors.push(`credentials.${field.name} (${field.label}) has the wrong format${field.description ? `: ${field.description}` : ''}`);
      continue;
    }
    out[field.name] = value;
  }
  if (errors.length) throw new HubError('VALIDATION_FAILED', errors.join('; '), { details: { errors, ...(fields.length ? { fields } : {}) } });
  return out;
}

/** "customer code and API token": how the error for rejected credentials names what to check. */
export function credentialLabels(entry: ManifestEntry): string {
  const labels = entry.credentials.filter((f) => f.required).map((f) => f.label);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}
