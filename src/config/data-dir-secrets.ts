import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets the hub generates for itself on first start when they are not given in the environment.
 * They live in the data directory with mode 0600 so a restart finds the same ones (a new encryption
 * key would make every stored credential unreadable).
 */
export interface GeneratedSecret {
  value: string;
  /** True when this call created the file: the caller prints or warns once. */
  created: boolean;
  path: string;
}

export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

export function readOrCreateSecret(dataDir: string, fileName: string, generate: () => string): GeneratedSecret {
  const path = join(dataDir, fileName);
  if (existsSync(path)) {
    return { value: readFileSync(path, 'utf8').trim(), created: false, path };
  }
  const value = generate();
  // `wx` refuses to overwrite a file another process created in the meantime.
  writeFileSync(path, value + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { value, created: true, path };
}

export const generateApiKey = (): string => 'hub_' + randomBytes(32).toString('base64url');
export const generateEncryptionKey = (): string => randomBytes(32).toString('base64');
