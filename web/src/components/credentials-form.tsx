import { useState } from 'preact/hooks';
import type { Integration, TestedCredentials } from '../api/types';
import { fieldProblem } from '../logic/credential-rules';
import { useAction, ErrorBox } from './async';
import { AccessList } from './access-list';

export interface CredentialsFormProps {
  integration: Integration;
  /** Asks the hub what these credentials give access to (stores nothing). */
  test: (credentials: Record<string, string>) => Promise<TestedCredentials>;
  save: (credentials: Record<string, string>, name: string) => Promise<void>;
  saveLabel?: string;
  /** Offer a display name for the new account. */
  withName?: boolean;
}

/**
 * The form for an integration's credentials, built from its manifest fields: each field's label
 * is its accessible label, secrets are masked, required fields are marked, patterns are checked
 * here before anything is sent. "Test connection" shows what the hub learns; "Save" stores them.
 */
export function CredentialsForm({ integration, test, save, saveLabel = 'Save', withName }: CredentialsFormProps) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [name, setName] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [tested, setTested] = useState<TestedCredentials | null>(null);
  const [act, busy, error, setError] = useAction();
  const prefix = `cred-${integration.id}`;

  /** The values to send (empty optional fields left out), or null after marking what is wrong. */
  const checked = (): Record<string, string> | null => {
    const found: Record<string, string> = {};
    for (const field of integration.credentials) {
      const problem = fieldProblem(field, values[field.name] ?? '');
      if (problem) found[field.name] = problem;
    }
    setProblems(found);
    const first = integration.credentials.find((f) => found[f.name]);
    if (first) {
      document.getElementById(`${prefix}-${first.name}`)?.focus();
      return null;
    }
    return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
  };

  const onTest = () => {
    setTested(null);
    setError(null);
    const credentials = checked();
    if (credentials) void act(async () => setTested(await test(credentials)));
  };
  const onSave = (event: Event) => {
    event.preventDefault();
    setError(null);
    const credentials = checked();
    if (credentials) void act(() => save(credentials, name.trim()));
  };

  return (
    <form class="credentials" onSubmit={onSave} noValidate aria-label={`${integration.name} credentials`}>
      <p class="hint">Fields marked * are required.</p>
      {withName && (
        <div class="field">
          <label for={`${prefix}-name`}>Name (optional)</label>
          <input id={`${prefix}-name`} value={name} onInput={(e) => setName(e.currentTarget.value)} autocomplete="off" />
        </div>
      )}
      {integration.credentials.map((field) => {
        const id = `${prefix}-${field.name}`;
        const problem = problems[field.name];
        const described = [field.description ? `${id}-help` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
        const common = {
          id,
          name: field.name,
          required: field.required,
          'aria-required': field.required,
          'aria-invalid': problem ? true : undefined,
          'aria-describedby': described,
        };
        const set = (value: string) => setValues((v) => ({ ...v, [field.name]: value }));
        return (
          <div class="field" key={field.name}>
            <label for={id}>
              {field.label}
              {field.required && <span aria-hidden="true"> *</span>}
            </label>
            {field.type === 'boolean' ? (
              <select {...common} value={values[field.name] ?? ''} onChange={(e) => set(e.currentTarget.value)}>
                <option value="">Not known</option>
                <option value="true">Yes</option>
                <option value="false">No</option>
              </select>
            ) : (
              <input
                {...common}
                type={field.secret ? 'password' : 'text'}
                autocomplete={field.secret ? 'new-password' : 'off'}
                spellcheck={false}
                value={values[field.name] ?? ''}
                onInput={(e) => set(e.currentTarget.value)}
              />
            )}
            {field.description && (
              <p class="hint" id={`${id}-help`}>
                {field.description}
              </p>
            )}
            {problem && (
              <p class="problem" id={`${id}-problem`}>
                {problem}
              </p>
            )}
          </div>
        );
      })}
      <div class="actions">
        <button type="button" onClick={onTest} disabled={busy}>
          Test connection
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {saveLabel}
        </button>
      </div>
      <ErrorBox error={error} />
      {tested && (
        <div class="success" role="status">
          <p>The credentials work. They give access to:</p>
          <AccessList access={tested.access} />
        </div>
      )}
    </form>
  );
}
