import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
export const WEB_DIST = join(ROOT, 'dist/web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The built page (dist/web), built now when missing or older than web/: the hub serves only a
 * page that exists when it starts (src/web-page), so call this before starting one.
 */
export function ensureWebBuilt(): string {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index) || statSync(index).mtimeMs < newestMtime(join(ROOT, 'web'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe' });
  }
  return WEB_DIST;
}
