import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface CredentialField {
  name: string;
  label: string;
  description?: string;
  secret: boolean;
  required: boolean;
  /** A regular expression the value must match. */
  pattern?: string;
  /**
   * `boolean`: given as true/false or yes/no (a JSON boolean or a string, any case) and stored as
   * "true" / "false". Default `string`.
   */
  type?: CredentialType;
}

export type CredentialType = 'string' | 'boolean';
const CREDENTIAL_TYPES: CredentialType[] = ['string', 'boolean'];

export type Capability = 'authenticate' | 'users' | 'groups' | 'licenses' | 'proxy';

export interface ManifestEntry {
  id: string;
  name: string;
  description?: string;
  base_url: string;
  credentials: CredentialField[];
  capabilities: Capability[];
}

export interface ConnectorsManifest {
  connectors: ManifestEntry[];
}

export const MANIFEST_FILE = 'connectors.manifest.json';
const CAPABILITIES: Capability[] = ['authenticate', 'users', 'groups', 'licenses', 'proxy'];

/** Finds the manifest next to package.json, walking up from here (works from src/ and dist/). */
export function locateManifest(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, MANIFEST_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${MANIFEST_FILE} not found above ${start}`);
  }
}

export function readManifest(path = locateManifest()): ConnectorsManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return validateManifest(raw, path);
}

/** Checks the manifest's shape so a typo fails the boot with the entry and field named. */
export function validateManifest(raw: unknown, source = MANIFEST_FILE): ConnectorsManifest {
  const problems: string[] = [];
  const connectors = (raw as ConnectorsManifest)?.connectors;
  if (!Array.isArray(connectors)) throw new Error(`${source}: "connectors" must be an array`);
  const seen = new Set<string>();
  connectors.forEach((entry, index) => {
    const where = `connectors[${index}]${entry?.id ? ` (${entry.id})` : ''}`;
    if (typeof entry?.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(entry.id)) problems.push(`${where}.id must be lowercase letters, digits or -`);
    else if (seen.has(entry.id)) problems.push(`${where}.id is declared twice`);
    else seen.add(entry.id);
    if (typeof entry?.name !== 'string' || !entry.name) problems.push(`${where}.name is required`);
    try {
      const url = new URL(entry?.base_url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error();
    } catch {
      problems.push(`${where}.base_url must be an http(s) URL`);
    }
    if (!Array.isArray(entry?.credentials)) problems.push(`${where}.credentials must be an array`);
    else
      entry.credentials.forEach((field, i) => {
        if (typeof field?.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(field.name)) problems.push(`${where}.credentials[${i}].name must be snake_case`);
        if (typeof field?.secret !== 'boolean') problems.push(`${where}.credentials[${i}].secret must be true or false`);
        if (typeof field?.required !== 'boolean') problems.push(`${where}.credentials[${i}].required must be true or false`);
        if (field?.type !== undefined && !CREDENTIAL_TYPES.includes(field.type)) problems.push(`${where}.credentials[${i}].type must be one of ${CREDENTIAL_TYPES.join(', ')}`);
      });
    if (!Array.isArray(entry?.capabilities) || entry.capabilities.some((c) => !CAPABILITIES.includes(c))) {
      problems.push(`${where}.capabilities must be a list drawn from ${CAPABILITIES.join(', ')}`);
    }
  });
  if (problems.length) throw new Error(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
  return { connectors };
}
