import { SeatCountsCache } from './seat-counts-cache';

const counts = [{ key: 'II', product_name: 'IntelliJ IDEA Ultimate', assigned: 3, never_used: 1, inactive: 1 }];

describe('seat counts cache', () => {
  it('serves counts for cutoffs from the one they were computed at up to the turning point', () => {
    const cache = new SeatCountsCache();
    cache.set('k', counts, '2026-10-01T00:00:00.000Z', '2026-10-05T00:00:00.000Z');
    expect(cache.get('k', '2026-10-01T00:00:00.000Z')).toBe(counts);
    expect(cache.get('k', '2026-10-05T00:00:00.000Z')).toBe(counts); // the rules compare strictly
    // A request that began earlier (an earlier cutoff) may see fewer seats: not served from here.
    expect(cache.get('k', '2026-09-30T23:59:59.999Z')).toBeUndefined();
    expect(cache.get('k', '2026-10-05T00:00:00.001Z')).toBeUndefined();
    expect(cache.get('k', '2026-10-02T00:00:00.000Z')).toBeUndefined(); // dropped once passed
  });

  it('keeps counts with no turning point for every later cutoff', () => {
    const cache = new SeatCountsCache();
    cache.set('k', counts, '2026-10-01T00:00:00.000Z', null);
    expect(cache.get('k', '2030-01-01T00:00:00.000Z')).toBe(counts);
    expect(cache.get('other', '2030-01-01T00:00:00.000Z')).toBeUndefined();
  });
});
