import { HubError } from '../common/errors';

/** The largest price of one seat, per month or year (a million: no seat costs more). */
export const MAX_AMOUNT = 1_000_000;

/** Optional prices per product of one account, for the cost of reclaimable seats. */
export interface SeatPrices {
  /** ISO 4217 code, upper case. */
  currency: string;
  prices: Record<string, { amount: number; per: 'month' | 'year' }>;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const MAX_PRODUCTS = 500;

/** Checks a `PUT …/seat-prices` body field by field; every problem is named in one 400. */
export function validateSeatPrices(body: unknown): SeatPrices {
  const problems: string[] = [];
  const input = (body ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || Array.isArray(input)) throw invalid(['the body must be an object { currency, prices }']);
  for (const key of Object.keys(input)) if (key !== 'currency' && key !== 'prices') problems.push(`property ${key} should not exist`);
  const currency = typeof input.currency === 'string' ? input.currency.toUpperCase() : null;
  if (currency === null || !/^[A-Z]{3}$/.test(currency) || !CURRENCIES.has(currency)) {
    problems.push('currency must be an ISO 4217 code such as EUR or USD');
  }
  // No prototype: product codes such as "constructor" or "__proto__" are ordinary keys here.
  const prices: SeatPrices['prices'] = Object.create(null) as SeatPrices['prices'];
  const raw = input.prices;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push('prices must be an object keyed by product_code: { "<product_code>": { "amount": 12.5, "per": "month" } }');
  } else {
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length > MAX_PRODUCTS) problems.push(`prices may name at most ${MAX_PRODUCTS} products`);
    for (const [code, price] of entries.slice(0, MAX_PRODUCTS)) {
      const where = `prices.${code}`;
      if (code.length === 0 || code.length > 100) problems.push(`${where}: a product_code has 1 to 100 characters`);
      const p = (price ?? {}) as Record<string, unknown>;
      if (typeof price !== 'object' || price === null || Array.isArray(price)) {
        problems.push(`${where} must be an object { amount, per }`);
        continue;
      }
      for (const key of Object.keys(p)) if (key !== 'amount' && key !== 'per') problems.push(`${where}.${key} should not exist`);
      const amount = p.amount;
      // Bounded so that a summary over millions of seats stays a finite, exact-enough number.
      if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || amount > MAX_AMOUNT) problems.push(`${where}.amount must be a number from 0 to ${MAX_AMOUNT}`);
      if (p.per !== 'month' && p.per !== 'year') problems.push(`${where}.per must be "month" or "year"`);
      if (typeof amount === 'number' && (p.per === 'month' || p.per === 'year')) prices[code] = { amount, per: p.per };
    }
  }
  if (problems.length) throw invalid(problems);
  return { currency: currency!, prices };
}

/** What one seat of the product costs a month (a yearly price / 12), or null without a price. */
export function monthlyPrice(prices: SeatPrices | null, productCode: string): number | null {
  const price = prices && Object.hasOwn(prices.prices, productCode) ? prices.prices[productCode] : undefined;
  if (!price) return null;
  return price.per === 'year' ? price.amount / 12 : price.amount;
}

/** Money rounded to cents, so sums of twelfths read as amounts. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function invalid(problems: string[]): HubError {
  return new HubError('VALIDATION_FAILED', problems.join('; '), { details: { errors: problems } });
}
