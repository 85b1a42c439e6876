import { monthlyPrice, validateSeatPrices } from './seat-prices';

describe('seat prices', () => {
  it('turns a yearly price into a monthly one, and has no price for an unknown product', () => {
    const prices = validateSeatPrices({ currency: 'eur', prices: { II: { amount: 120, per: 'year' }, WS: { amount: 9.5, per: 'month' } } });
    expect(prices.currency).toBe('EUR');
    expect(monthlyPrice(prices, 'II')).toBe(10);
    expect(monthlyPrice(prices, 'WS')).toBe(9.5);
    expect(monthlyPrice(prices, 'GO')).toBeNull();
    expect(monthlyPrice(null, 'II')).toBeNull();
  });

  it('takes product codes that are names of Object.prototype members as product codes', () => {
    const prices = validateSeatPrices(JSON.parse('{"currency":"USD","prices":{"__proto__":{"amount":1,"per":"month"},"constructor":{"amount":2,"per":"month"}}}'));
    expect(monthlyPrice(prices, 'toString')).toBeNull();
    expect(monthlyPrice(prices, 'constructor')).toBe(2);
    expect(monthlyPrice(prices, '__proto__')).toBe(1);
    // Stored as JSON and read back, both are still the account's own prices.
    const stored = JSON.parse(JSON.stringify(prices));
    expect(Object.keys(stored.prices).sort()).toEqual(['__proto__', 'constructor']);
    expect(monthlyPrice(stored, '__proto__')).toBe(1);
  });

  it('names every problem of a body in one message', () => {
    expect(() => validateSeatPrices({ currency: 'XXXX', prices: { II: { amount: 'ten', per: 'week' } } })).toThrow(
      'currency must be an ISO 4217 code such as EUR or USD; prices.II.amount must be a number from 0 to 1000000; prices.II.per must be "month" or "year"',
    );
  });

  it('refuses a price so large that a summary over many seats would overflow', () => {
    expect(() => validateSeatPrices({ currency: 'EUR', prices: { II: { amount: 1e308, per: 'month' } } })).toThrow('prices.II.amount must be a number from 0 to 1000000');
    expect(validateSeatPrices({ currency: 'EUR', prices: { II: { amount: 1_000_000, per: 'year' } } }).prices.II).toEqual({ amount: 1_000_000, per: 'year' });
  });
});
