import type { CredentialField } from '../api/types';

/** What is wrong with one field's value before anything is sent, or null. The hub checks again. */
export function fieldProblem(field: CredentialField, value: string): string | null {
  if (value.trim() === '') return field.required ? `${field.label} is required.` : null;
  if (field.pattern !== null && !new RegExp(field.pattern).test(value)) return `${field.label} does not have the expected form${field.description ? ' (see above).' : '.'}`;
  return null;
}
