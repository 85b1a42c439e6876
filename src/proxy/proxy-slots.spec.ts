import { ProxySlots } from './proxy-slots';

describe('ProxySlots', () => {
  it('caps each account separately and frees a slot once per release', () => {
    const slots = new ProxySlots(2);
    const a1 = slots.acquire('a');
    slots.acquire('a');
    expect(() => slots.acquire('a')).toThrow(expect.objectContaining({ code: 'PROXY_BUSY', retryAfterSeconds: 1, details: { limit: 2 } }));
    expect(() => slots.acquire('b')).not.toThrow();
    a1();
    a1(); // a second release of the same slot frees nothing more
    expect(slots.held('a')).toBe(1);
    expect(() => slots.acquire('a')).not.toThrow();
    expect(() => slots.acquire('a')).toThrow(/HUB_PROXY_CONCURRENCY/);
  });
});
