import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The page's promise: all of its JavaScript under 200 KB gzipped. Prints the size; fails the build above it. */
export const JS_BUDGET_BYTES = 200 * 1024;

export function sizeBudget(limit = JS_BUDGET_BYTES): Plugin {
  return {
    name: 'hub-size-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      let total = 0;
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk') total += gzipSync(file.code, { level: 9 }).length;
      }
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      console.log(`web page JavaScript: ${kb(total)} gzipped in all (budget ${kb(limit)})`);
      if (total > limit) this.error(`The web page's JavaScript is ${kb(total)} gzipped, over the ${kb(limit)} budget: drop a dependency or split less.`);
    },
  };
}
