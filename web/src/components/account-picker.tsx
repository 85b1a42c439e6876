import { useEffect } from 'preact/hooks';
import type { Account } from '../api/types';
import { allAccounts } from '../pages/connections';
import { Show, useLoad } from './async';

/** A select of the accounts this key sees; picks the first when none is chosen yet. */
export function AccountPicker({ value, onChange, id }: { value: string; onChange: (id: string, account: Account | undefined) => void; id: string }) {
  const [accounts] = useLoad(allAccounts, []);
  useEffect(() => {
    if (!value && accounts.state === 'done' && accounts.data[0]) onChange(accounts.data[0].id, accounts.data[0]);
  }, [accounts.state]);
  return (
    <Show loaded={accounts}>
      {(list) =>
        list.length === 0 ? (
          <p>No account is connected yet.</p>
        ) : (
          <div class="field">
            <label for={id}>Account</label>
            <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value, list.find((a) => a.id === e.currentTarget.value))}>
              {list.map((a) => (
                <option key={a.id} value={a.id}>{`${a.name} (${a.integration}${a.tenant_id ? `, ${a.tenant_id}` : ''})`}</option>
              ))}
            </select>
          </div>
        )
      }
    </Show>
  );
}
