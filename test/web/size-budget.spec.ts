import { randomBytes } from 'node:crypto';
import { JS_BUDGET_BYTES, sizeBudget } from '../../web/size-budget';

/** Runs the plugin's generateBundle on fake chunks, as Vite would, with `this.error` throwing like Vite's. */
function check(limit: number, chunks: string[]): void {
  const plugin = sizeBudget(limit) as unknown as { generateBundle(this: unknown, options: unknown, bundle: Record<string, unknown>): void };
  const bundle: Record<string, unknown> = Object.fromEntries(chunks.map((code, i) => [`chunk-${i}.js`, { type: 'chunk', code }]));
  bundle['style.css'] = { type: 'asset', source: 'x'.repeat(1e6) };
  plugin.generateBundle.call({ error: (message: string) => { throw new Error(message); } }, {}, bundle);
}

describe('the build\'s JavaScript budget', () => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  afterAll(() => log.mockRestore());

  it('is 200 KB gzipped', () => {
    expect(JS_BUDGET_BYTES).toBe(200 * 1024);
  });

  it('passes under the budget and prints the gzipped size of all chunks (assets not counted)', () => {
    expect(() => check(10 * 1024, ['a'.repeat(50_000), 'b'.repeat(50_000)])).not.toThrow();
    expect(log.mock.calls.at(-1)![0]).toMatch(/^web page JavaScript: 0\.\d KB gzipped in all \(budget 10\.0 KB\)$/);
  });

  it('fails the build above it, saying by how much', () => {
    // Random bytes do not compress: 3 chunks of 8 KB are about 32 KB gzipped (base64), over a 20 KB budget.
    const chunks = [0, 1, 2].map(() => randomBytes(8 * 1024).toString('base64'));
    expect(() => check(20 * 1024, chunks)).toThrow(/The web page's JavaScript is \d+\.\d KB gzipped, over the 20\.0 KB budget/);
  });
});
