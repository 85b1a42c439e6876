import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Warnings for a data dir or key files other local users can read: they hold the API key, the
 * encryption key and the database of sealed credentials. The hub creates them 0700/0600; a dir
 * that existed before (or a key copied in with cp) keeps whatever mode it had, so say so at boot.
 */
export function looseModeWarnings(dataDir: string, fileNames: string[]): string[] {
  if (process.platform === 'win32') return [];
  const warnings: string[] = [];
  const check = (path: string, fix: string) => {
    if (!existsSync(path)) return;
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    warnings.push(`${path} is open to group/others (mode 0${mode.toString(8)}): run \`chmod ${fix} ${path}\``);
  };
  check(dataDir, '700');
  for (const name of fileNames) check(join(dataDir, name), '600');
  return warnings;
}
