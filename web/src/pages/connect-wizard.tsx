import { useState } from 'preact/hooks';
import type { Integration, TestedCredentials } from '../api/types';
import { CredentialsForm } from '../components/credentials-form';

/**
 * Pick an integration, then fill in its credentials. Shared by the Connections page (with a
 * session) and the connect link (with a connect token): only `test` and `save` differ.
 */
export function ConnectWizard(props: {
  integrations: Integration[];
  test: (integration: string, credentials: Record<string, string>) => Promise<TestedCredentials>;
  save: (integration: string, credentials: Record<string, string>, name: string) => Promise<void>;
  withName?: boolean;
}) {
  const [chosen, setChosen] = useState<Integration | null>(props.integrations.length === 1 ? props.integrations[0]! : null);
  return (
    <section aria-labelledby="connect-heading" class="panel">
      <h2 id="connect-heading">{chosen ? `Connect ${chosen.name}` : 'Choose what to connect'}</h2>
      {!chosen || props.integrations.length > 1 ? (
        <fieldset class="picker">
          <legend>Integration</legend>
          {props.integrations.map((integration) => (
            <label key={integration.id} class="choice">
              <input
                type="radio"
                name="integration"
                value={integration.id}
                checked={chosen?.id === integration.id}
                onChange={() => setChosen(integration)}
              />
              <span>
                <strong>{integration.name}</strong>
                {integration.description && <span class="hint"> {integration.description}</span>}
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      {chosen && (
        <CredentialsForm
          key={chosen.id}
          integration={chosen}
          withName={props.withName}
          test={(credentials) => props.test(chosen.id, credentials)}
          save={(credentials, name) => props.save(chosen.id, credentials, name)}
        />
      )}
    </section>
  );
}
