import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import type { Change } from '../api/types';
import { AccountPicker } from '../components/account-picker';
import { Show, useLoad } from '../components/async';
import { when } from '../format';

const TYPES: [string, string][] = [
  ['user.added', 'Person added'],
  ['user.removed', 'Person removed'],
  ['user.updated', 'Person changed'],
  ['seat.reclaimable', 'Seat became reclaimable'],
];
/** The feed is oldest first and never ends; the page reads up to this many changes and shows them newest first. */
const MAX_CHANGES = 2000;

const PERIODS: [string, string][] = [
  ['7', 'Last 7 days'],
  ['30', 'Last 30 days'],
  ['90', 'Last 90 days (all the hub keeps by default)'],
];

/** The changes of the last `days` (the feed's `since`), newest first, at most MAX_CHANGES of them. */
async function latestChanges(accountId: string, days: number): Promise<{ changes: Change[]; truncated: boolean }> {
  const changes: Change[] = [];
  const since = new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let cursor: string | undefined;
  for (;;) {
    const query = cursor ? { integrated_account_id: accountId, limit: 200, next_cursor: cursor } : { integrated_account_id: accountId, limit: 200, since };
    const page = await ok(api.GET('/unified/user-directory/changes', { params: { query } }));
    changes.push(...page.result);
    // Keep the newest MAX_CHANGES: the feed runs oldest to newest.
    if (changes.length > MAX_CHANGES) changes.splice(0, changes.length - MAX_CHANGES);
    if (page.result.length < 200 || !page.next_cursor) return { changes: changes.reverse(), truncated: changes.length >= MAX_CHANGES };
    cursor = page.next_cursor;
  }
}

function describe(change: Change): string {
  if (change.type === 'seat.reclaimable' && change.seat) {
    const seat = change.seat as { product_name?: string | null; product_code: string; reason: string; inactive_days: number };
    return `${seat.product_name ?? seat.product_code}: ${seat.reason === 'never_used' ? 'never used' : `inactive for ${seat.inactive_days}+ days`}`;
  }
  if (change.type === 'user.updated' && change.changes) {
    return (change.changes as { field: string; before: unknown; after: unknown }[])
      .map((c) => `${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`)
      .join('; ');
  }
  return '';
}

export function ChangesPage() {
  const [accountId, setAccountId] = useState('');
  const [type, setType] = useState('');
  const [days, setDays] = useState('7');
  return (
    <>
      <h1 tabIndex={-1}>Changes</h1>
      <div class="filters">
        <AccountPicker id="changes-account" value={accountId} onChange={setAccountId} />
        <div class="field">
          <label for="change-period">Period</label>
          <select id="change-period" value={days} onChange={(e) => setDays(e.currentTarget.value)}>
            {PERIODS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="change-type">Type</label>
          <select id="change-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">Every type</option>
            {TYPES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </div>
      </div>
      {accountId && <Feed key={`${accountId}/${days}`} accountId={accountId} days={Number(days)} type={type} />}
    </>
  );
}

function Feed({ accountId, days, type }: { accountId: string; days: number; type: string }) {
  const [feed] = useLoad(() => latestChanges(accountId, days), []);
  return (
    <Show loaded={feed}>
      {({ changes, truncated }) => {
        const shown = changes.filter((c) => !type || c.type === type);
        if (changes.length === 0) return <p>{`No changes in the last ${days} days. The first sync is the baseline; later syncs record who joined, left or changed.`}</p>;
        return (
          <>
            <p aria-live="polite">{`${shown.length} changes, newest first${truncated ? ` (the latest ${MAX_CHANGES})` : ''}.`}</p>
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Type</th>
                  <th scope="col">Person</th>
                  <th scope="col">What</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr key={c.id}>
                    <td>{when(c.occurred_at)}</td>
                    <td>{TYPES.find(([v]) => v === c.type)?.[1] ?? c.type}</td>
                    <td>{c.email ?? c.user_id}{c.name ? ` (${c.name})` : ''}</td>
                    <td>{describe(c)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        );
      }}
    </Show>
  );
}
