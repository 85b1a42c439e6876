import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../src/config/hub-config';
import { HubDatabase, openDatabase } from '../../src/store/database';

/**
 * PostgreSQL for the store tests. CI sets TEST_POSTGRES_URL and a failure there is a failure;
 * on a machine without it the PostgreSQL half is skipped with a warning.
 */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Decided synchronously because Jest needs to know which describe blocks exist before it runs any.
 * Required (never skipped) when TEST_POSTGRES_URL is set, as CI does.
 */
export function postgresEnabled(): boolean {
  if (process.env.TEST_POSTGRES_URL) return true;
  const probe = `const c=new (require('pg').Client)({connectionString:${JSON.stringify(POSTGRES_URL)},connectionTimeoutMillis:2000});` +
    `c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))`;
  const ok = spawnSync(process.execPath, ['-e', probe], { cwd: __dirname, timeout: 5000 }).status === 0;
  if (!ok) console.warn(`PostgreSQL not reachable at ${POSTGRES_URL}: its store tests are skipped (set TEST_POSTGRES_URL to require them)`);
  return ok;
}

/** A fresh schema per test run, so runs never see each other's tables. Returns its URL and a drop(). */
export async function freshSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `hub_test_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  const admin = new Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

/** SQLite, and PostgreSQL when reachable (required when TEST_POSTGRES_URL is set): for describe.each. */
export function databaseBackends(tempDir: () => string): { name: string; open: () => Promise<{ config: DatabaseConfig; cleanup: () => Promise<void> }> }[] {
  const backends: { name: string; open: () => Promise<{ config: DatabaseConfig; cleanup: () => Promise<void> }> }[] = [
    { name: 'SQLite', open: async () => ({ config: { kind: 'sqlite', file: join(tempDir(), 'hub.sqlite') }, cleanup: async () => undefined }) },
  ];
  if (postgresEnabled()) {
    backends.push({
      name: 'PostgreSQL',
      open: async () => {
        const schema = await freshSchema();
        return { config: { kind: 'postgres', url: schema.url }, cleanup: schema.drop };
      },
    });
  }
  return backends;
}

/** A fresh, migrated database of `backend` for each test of the describe block it is called in. */
export function useDatabase(backend: ReturnType<typeof databaseBackends>[number]): () => HubDatabase {
  let db: HubDatabase;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const opened = await backend.open();
    db = await openDatabase(opened.config);
    cleanup = opened.cleanup;
  });
  afterEach(async () => {
    await db.destroy();
    await cleanup();
  });
  return () => db;
}
