import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../package.json';

/**
 * `npm start` builds first (prestart); the build is incremental (`tsc -b`, state kept in
 * dist/tsconfig.build.tsbuildinfo), so a start with unchanged sources does not recompile.
 */
describe('npm start builds only what changed', () => {
  const root = join(__dirname, '..');
  const tsc = (...args: string[]) =>
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json', ...args], { cwd: root, encoding: 'utf8' });

  it('prestart runs the incremental build', () => {
    expect(pkg.scripts.prestart).toBe('npm run build');
    expect(pkg.scripts.build).toMatch(/^tsc -b tsconfig\.build\.json && npm run build:web$/);
  });

  it('a second build with unchanged sources writes nothing', () => {
    tsc();
    const main = join(root, 'dist/src/main.js');
    const before = statSync(main).mtimeMs;
    expect(tsc('--dry', '--verbose')).toMatch(/is up to date/);
    tsc();
    expect(statSync(main).mtimeMs).toBe(before);
  }, 120_000);
});
