import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sizeBudget } from './size-budget.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The page is built into dist/web, which the hub serves at / (src/web-page). */
export default defineConfig({
  root: here,
  base: '/',
  // Preact's JSX through esbuild: no Babel, no framework plugin needed.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No inline module-preload polyfill script: the page's CSP allows no inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  plugins: [sizeBudget()],
});
