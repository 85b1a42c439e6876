import { CutoffCache } from './cutoff-cache';

const counts = [{ key: 'II', product_name: 'IntelliJ IDEA Ultimate', assigned: 3, never_used: 1, inactive: 1 }];

describe('cutoff cache', () => {
  it('serves a value for cutoffs from the one it was computed at up to the turning point', () => {
    const cache = new CutoffCache<typeof counts>();
    cache.set('k', counts, '2026-10-01T00:00:00.000Z', '2026-10-05T00:00:00.000Z');
    expect(cache.get('k', '2026-10-01T00:00:00.000Z')?.value).toBe(counts);
    expect(cache.get('k', '2026-10-05T00:00:00.000Z')?.value).toBe(counts); // the rules compare strictly
    // A request that began earlier (an earlier cutoff) may see fewer seats: not served from here.
    expect(cache.get('k', '2026-09-30T23:59:59.999Z')).toBeUndefined();
    expect(cache.get('k', '2026-10-05T00:00:00.001Z')).toBeUndefined();
    expect(cache.get('k', '2026-10-02T00:00:00.000Z')).toBeUndefined(); // dropped once passed
  });

  it('keeps a value with no turning point for every later cutoff, until it expires on the clock', () => {
    const cache = new CutoffCache<typeof counts>();
    cache.set('k', counts, '2026-10-01T00:00:00.000Z', null);
    expect(cache.get('k', '2030-01-01T00:00:00.000Z')?.value).toBe(counts);
    expect(cache.get('other', '2030-01-01T00:00:00.000Z')).toBeUndefined();
    cache.set('page', counts, '2026-10-01T00:00:00.000Z', null, 1_000);
    expect(cache.get('page', '2026-10-01T00:00:00.000Z', 999)?.value).toBe(counts);
    expect(cache.get('page', '2026-10-01T00:00:00.000Z', 1_000)).toBeUndefined();
  });

  it('forgets the oldest entry beyond its size', () => {
    const cache = new CutoffCache<number>(2);
    cache.set('a', 1, '2026-01-01', null);
    cache.set('b', 2, '2026-01-01', null);
    cache.set('c', 3, '2026-01-01', null);
    expect([cache.get('a', '2026-01-01'), cache.get('b', '2026-01-01')?.value, cache.get('c', '2026-01-01')?.value]).toEqual([undefined, 2, 3]);
  });
});
