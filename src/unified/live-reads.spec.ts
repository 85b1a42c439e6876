import { LiveReads } from './live-reads';

describe('LiveReads', () => {
  afterEach(() => jest.useRealTimers());

  it('shares a load in flight, keeps it for the TTL after it settles, then loads again', async () => {
    jest.useFakeTimers({ now: 0 });
    const reads = new LiveReads(30_000, 60_000);
    let loads = 0;
    const load = async () => ++loads;
    const scope = reads.scopeFor('acc', 'sealed-1');
    const [x, y] = await Promise.all([scope.memo('k', load), reads.scopeFor('acc', 'sealed-1').memo('k', load)]);
    expect([x, y, loads]).toEqual([1, 1, 1]);
    jest.setSystemTime(29_000);
    expect(await reads.scopeFor('acc', 'sealed-1').memo('k', load)).toBe(1);
    jest.setSystemTime(30_001);
    expect(await reads.scopeFor('acc', 'sealed-1').memo('k', load)).toBe(2);
  });

  it('does not keep a failure, nor a joined page, and never mixes accounts or credentials', async () => {
    const reads = new LiveReads(30_000, 60_000);
    const scope = reads.scopeFor('acc', 'sealed-1');
    await expect(scope.memo('k', () => Promise.reject(new Error('upstream down')))).rejects.toThrow('upstream down');
    expect(await scope.memo('k', async () => 'ok')).toBe('ok');
    let pages = 0;
    await scope.join('p', async () => ++pages);
    await scope.join('p', async () => ++pages);
    expect(pages).toBe(2);
    expect(await reads.scopeFor('other', 'sealed-1').memo('k', async () => 'other')).toBe('other');
    expect(await reads.scopeFor('acc', 'sealed-2').memo('k', async () => 'new credentials')).toBe('new credentials');
  });

  it('starts a load in a scope whose budget clock is fresh', async () => {
    jest.useFakeTimers({ now: 0 });
    const reads = new LiveReads(30_000, 60_000);
    const first = reads.scopeFor('acc', 's');
    jest.setSystemTime(2_000);
    const later = reads.scopeFor('acc', 's');
    expect(later).not.toBe(first);
    expect(later.createdAt).toBe(2_000);
  });
});

describe('LiveReads memory', () => {
  it('lets a kept read go when its TTL ends, even when no other read comes', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const reads = new LiveReads(30_000, 60_000);
      const big = { licenses: new Array(10) };
      const scope = reads.scopeFor('acc', 's');
      await scope.memo('directory', async () => big);
      const entries = (scope as unknown as { entries: Map<string, unknown> }).entries;
      expect(entries.size).toBe(1);
      jest.advanceTimersByTime(30_000);
      expect(entries.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
