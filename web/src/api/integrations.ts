import { api } from './client';
import { ok } from './errors';
import type { Integration } from './types';

/** GET /integrations: what can be connected, with each one's credential fields from the manifest. */
export async function listIntegrations(): Promise<Integration[]> {
  const body = (await ok(api.GET('/integrations'))) as unknown as { result: Integration[] };
  return body.result;
}
