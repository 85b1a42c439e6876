import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ok } from '../api/errors';
import { AccountPicker } from '../components/account-picker';
import { ErrorBox, Show, useAction, useLoad } from '../components/async';

type Price = { amount: number; per: 'month' | 'year' };
type Prices = { currency: string | null; prices: Record<string, Price> };

async function loadPrices(accountId: string): Promise<{ products: [string, string][]; prices: Prices }> {
  const path = { params: { path: { id: accountId } } };
  const [prices, plans] = await Promise.all([
    ok(api.GET('/integrated-accounts/{id}/seat-prices', path)),
    ok(api.GET('/unified/user-directory/licenses', { params: { query: { integrated_account_id: accountId, limit: 200 } } })),
  ]);
  const products = new Map<string, string>(plans.result.map((p) => [p.product_code, p.product_name ?? p.product_code]));
  for (const code of Object.keys(prices.prices ?? {})) if (!products.has(code)) products.set(code, code);
  return { products: [...products.entries()].sort(), prices };
}

export function SeatPricesSection() {
  const [accountId, setAccountId] = useState('');
  return (
    <section aria-labelledby="prices-heading" class="panel">
      <h2 id="prices-heading">Seat prices</h2>
      <AccountPicker id="prices-account" value={accountId} onChange={setAccountId} />
      {accountId && <PricesForm key={accountId} accountId={accountId} />}
    </section>
  );
}

function PricesForm({ accountId }: { accountId: string }) {
  const [loaded] = useLoad(() => loadPrices(accountId), []);
  return <Show loaded={loaded}>{(data) => <PricesEditor accountId={accountId} {...data} />}</Show>;
}

function PricesEditor({ accountId, products, prices }: { accountId: string; products: [string, string][]; prices: Prices }) {
  const [currency, setCurrency] = useState(prices.currency ?? 'EUR');
  const [rows, setRows] = useState<Record<string, { amount: string; per: 'month' | 'year' }>>(
    Object.fromEntries(products.map(([code]) => [code, { amount: prices.prices?.[code] ? String(prices.prices[code]!.amount) : '', per: prices.prices?.[code]?.per ?? 'month' }])),
  );
  const [saved, setSaved] = useState(false);
  const [act, busy, error] = useAction();
  const save = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    void act(async () => {
      const body = {
        currency: currency.trim().toUpperCase(),
        prices: Object.fromEntries(Object.entries(rows).filter(([, r]) => r.amount.trim() !== '').map(([code, r]) => [code, { amount: Number(r.amount), per: r.per }])),
      };
      await ok(api.PUT('/integrated-accounts/{id}/seat-prices', { params: { path: { id: accountId } }, body }));
      setSaved(true);
    });
  };
  return (
    <form onSubmit={save} aria-label="Seat prices">
      <div class="field">
        <label for="price-currency">Currency (ISO code)</label>
        <input id="price-currency" value={currency} maxLength={3} onInput={(e) => setCurrency(e.currentTarget.value)} />
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Price per seat</th>
            <th scope="col">Per</th>
          </tr>
        </thead>
        <tbody>
          {products.map(([code, name]) => (
            <tr key={code}>
              <th scope="row">{name}</th>
              <td>
                <input aria-label={`Price of ${name}`} type="number" min={0} step="0.01" value={rows[code]!.amount} onInput={(e) => setRows({ ...rows, [code]: { ...rows[code]!, amount: e.currentTarget.value } })} />
              </td>
              <td>
                <select aria-label={`Period of ${name}`} value={rows[code]!.per} onChange={(e) => setRows({ ...rows, [code]: { ...rows[code]!, per: e.currentTarget.value as 'month' | 'year' } })}>
                  <option value="month">month</option>
                  <option value="year">year</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" class="primary" disabled={busy}>
        Save prices
      </button>
      {saved && <p role="status">Saved: reclaimable seats now show their monthly cost.</p>}
      <ErrorBox error={error} />
    </form>
  );
}
