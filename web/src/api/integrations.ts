import { api } from './client';
import { ok } from './errors';
import type { Integration } from './types';

/** GET /integrations: what can be connected, with each one's credential fields from the manifest. */
export async function listIntegrations(): Promise<Integration[]> {
  return (await ok(api.GET('/integrations'))).result;
}
