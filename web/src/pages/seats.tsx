import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import { everyPage } from '../api/pages';
import type { LicensePlan } from '../api/types';
import { AccountPicker } from '../components/account-picker';
import { ErrorBox, Show, useAction, useLoad } from '../components/async';
import { SeatChart } from '../components/seat-chart';
import { download } from '../download';
import { toCsv } from '../logic/csv';
import { csvRow, CSV_HEADER, seatBars } from '../logic/seat-figures';
import { money, when } from '../format';

const PRESETS = ['30', '60', '90'];

function allPlans(accountId: string, inactiveDays: number): Promise<LicensePlan[]> {
  return everyPage((cursor) =>
    ok(api.GET('/unified/user-directory/licenses', { params: { query: { integrated_account_id: accountId, inactive_days: inactiveDays, limit: 200, next_cursor: cursor } } })),
  );
}

export function SeatsPage() {
  const [accountId, setAccountId] = useState('');
  const [preset, setPreset] = useState('60');
  const [custom, setCustom] = useState('45');
  const days = preset === 'custom' ? Number(custom) : Number(preset);
  const validDays = Number.isInteger(days) && days >= 1 && days <= 3650;
  return (
    <>
      <h1 tabIndex={-1}>Seats</h1>
      <div class="filters">
        <AccountPicker id="seats-account" value={accountId} onChange={setAccountId} />
        <div class="field">
          <label for="inactive-for">Inactive for</label>
          <select id="inactive-for" value={preset} onChange={(e) => setPreset(e.currentTarget.value)}>
            {PRESETS.map((d) => <option key={d} value={d}>{d} days</option>)}
            <option value="custom">Another number of days</option>
          </select>
        </div>
        {preset === 'custom' && (
          <div class="field">
            <label for="inactive-days">Days</label>
            <input id="inactive-days" type="number" min={1} max={3650} value={custom} onInput={(e) => setCustom(e.currentTarget.value)} aria-invalid={!validDays || undefined} aria-describedby="inactive-days-help" />
            <p class="hint" id="inactive-days-help">{validDays ? 'A whole number from 1 to 3650.' : 'Enter a whole number from 1 to 3650.'}</p>
          </div>
        )}
      </div>
      {accountId && validDays && <SeatsOf key={`${accountId}/${days}`} accountId={accountId} days={days} />}
    </>
  );
}

function SeatsOf({ accountId, days }: { accountId: string; days: number }) {
  const [plans] = useLoad(() => allPlans(accountId, days), []);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const [page] = useLoad(
    () => ok(api.GET('/unified/user-directory/reclaimable-seats', { params: { query: { integrated_account_id: accountId, inactive_days: days, limit: 50, next_cursor: cursor } } })),
    [cursor],
  );
  const [act, busy, error] = useAction();
  const [byTeam, setByTeam] = useState(false);

  const exportCsv = () =>
    act(async () => {
      const rows: (string | number | null)[][] = [CSV_HEADER];
      let next: string | undefined;
      do {
        const p = await ok(api.GET('/unified/user-directory/reclaimable-seats', { params: { query: { integrated_account_id: accountId, inactive_days: days, limit: 200, next_cursor: next } } }));
        rows.push(...p.result.map((s) => csvRow(s, p.summary.currency)));
        next = p.next_cursor ?? undefined;
      } while (next);
      download(`reclaimable-seats-${accountId}-${days}d.csv`, toCsv(rows));
    });

  return (
    <>
      <section aria-labelledby="use-heading">
        <h2 id="use-heading">Seat use</h2>
        <div class="field">
          <label for="chart-by">Chart by</label>
          <select id="chart-by" value={byTeam ? 'team' : 'product'} onChange={(e) => setByTeam(e.currentTarget.value === 'team')}>
            <option value="product">Product</option>
            <option value="team">Product and team</option>
          </select>
        </div>
        <Show loaded={plans}>{(list) => (list.length === 0 ? <p>No plans in this account.</p> : <SeatChart bars={seatBars(list, byTeam)} inactiveDays={days} />)}</Show>
      </section>
      <section aria-labelledby="reclaim-heading">
        <h2 id="reclaim-heading">Seats to reclaim</h2>
        <Show loaded={page}>
          {(data) => (
            <>
              <p class="summary" aria-live="polite">
                <strong data-testid="reclaimable-count">{data.summary.reclaimable}</strong> seats reclaimable after {days} days
                {' '}({data.summary.by_reason.never_used} never used, {data.summary.by_reason.inactive} inactive)
                {data.summary.monthly_cost !== null && `, ${money(data.summary.monthly_cost, data.summary.currency)} a month`}.
              </p>
              <button type="button" onClick={() => void exportCsv()} disabled={busy}>
                Export CSV
              </button>
              <ErrorBox error={error} />
              <table>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">Product</th>
                    <th scope="col">Team</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Last active</th>
                    <th scope="col">Days inactive</th>
                    <th scope="col">Monthly cost</th>
                  </tr>
                </thead>
                <tbody>
                  {data.result.map((seat) => (
                    <tr key={seat.id}>
                      <td>{seat.email ?? '—'}</td>
                      <td>{seat.name ?? '—'}</td>
                      <td>{seat.product_name ?? seat.product_code}</td>
                      <td>{seat.group?.name ?? '—'}</td>
                      <td>{seat.reason === 'never_used' ? 'Never used' : 'Inactive'}</td>
                      <td>{when(seat.last_active_at)}</td>
                      <td>{seat.days_inactive ?? '—'}</td>
                      <td>{money(seat.monthly_cost, data.summary.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <nav class="pager" aria-label="Reclaimable seat pages">
                <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous page</button>
                <button type="button" disabled={!data.next_cursor} onClick={() => setCursors([...cursors, data.next_cursor!])}>Next page</button>
              </nav>
            </>
          )}
        </Show>
      </section>
    </>
  );
}
