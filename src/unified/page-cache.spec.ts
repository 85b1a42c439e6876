import { PageCache } from './page-cache';

describe('PageCache', () => {
  it('returns what was stored and drops the least recently used beyond its size', () => {
    const cache = new PageCache(30);
    cache.set('a', Buffer.from('x'.repeat(7)));
    cache.set('b', Buffer.from('y'.repeat(7)));
    cache.set('c', Buffer.from('z'.repeat(7)));
    expect(cache.get('a')).toEqual(Buffer.from('xxxxxxx')); // a is now the most recently used
    cache.set('d', Buffer.from('w'.repeat(7))); // 28 bytes: fits
    cache.set('e', Buffer.from('v'.repeat(7))); // 35: b goes, the least recently used
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(Buffer.from('xxxxxxx'));
    expect(cache.get('e')).toEqual(Buffer.from('vvvvvvv'));
  });

  it('does not keep a page larger than a quarter of its size', () => {
    const cache = new PageCache(40);
    cache.set('big', Buffer.from('x'.repeat(11)));
    expect(cache.get('big')).toBeUndefined();
  });
});
