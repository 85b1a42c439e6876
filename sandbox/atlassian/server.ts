import type { FaultSettings } from '../shared/faults';
import { RunningSim, startSimServer } from '../shared/sim-server';
import { AtlassianApi, AtlassianBehaviour, atlError, DEFAULT_BEHAVIOUR } from './api';
import { AtlassianDataset, buildAtlassianDataset } from './dataset';

export interface AtlassianSimulatorOptions {
  port?: number;
  dataset?: string | AtlassianDataset;
  faults?: Partial<FaultSettings>;
  behaviour?: Partial<AtlassianBehaviour>;
}

export interface AtlassianSimulator extends RunningSim {
  api: AtlassianApi;
}

/**
 * A local Atlassian organization Admin API (reference §3 and §6): bearer keys with scopes, v1 and v2
 * user shapes and opaque cursors, groups, last-active dates, `errors[]` bodies, 429 with rate-limit
 * headers, and organizations whose surface lacks the v2 user search or v2 (`orgSurfaces`, key `surface`).
 */
export async function startAtlassianSimulator(options: AtlassianSimulatorOptions = {}): Promise<AtlassianSimulator> {
  const dataset = typeof options.dataset === 'object' ? options.dataset : buildAtlassianDataset(options.dataset ?? 'tiny');
  const api = new AtlassianApi(dataset, { ...DEFAULT_BEHAVIOUR, ...options.behaviour });
  const sim = await startSimServer(
    {
      prefix: '',
      handle: (req) => api.handle(req),
      faultAnswer: (kind, faults, headers) => {
        if (kind === '500-echo' || kind === '401-echo') {
          const quoted = `Authorization: ${String(headers['authorization'] ?? '')}`;
          return kind === '401-echo'
            ? atlError(401, 'ADMIN-UAM-401-1', 'Unauthenticated', `Key not accepted (${quoted})`)
            : atlError(500, 'ADMIN-500-1', 'Internal server error', `Lookup failed for ${quoted}`);
        }
        if (kind === '429' || kind === '429-retry-after') {
          const reset = new Date(Date.now() + faults.settings.retryAfterSeconds * 1000).toISOString();
          return {
            ...atlError(429, 'ADMIN-429-1', 'Rate limit exceeded'),
            headers: {
              'X-RateLimit-Limit': '1000',
              'X-RateLimit-Remaining': '0',
              'X-RateLimit-Reset': reset,
              ...(kind === '429-retry-after' ? { 'Retry-After': faults.retryAfterValue() } : {}),
            },
          };
        }
        return atlError(kind === '503' ? 503 : 500, 'ADMIN-500-1', 'Internal server error');
      },
      control: (route, input) => {
        if (route === 'PUT /__sim/behaviour') return { status: 200, body: Object.assign(api.behaviour, input) };
        if (route === 'PUT /__sim/dataset') {
          api.dataset = buildAtlassianDataset(String(input.name ?? 'tiny'));
          return { status: 200, body: { ok: true } };
        }
        if (route === 'POST /__sim/cursors/expire') {
          api.expireCursors();
          return { status: 200, body: { ok: true } };
        }
        return null;
      },
      state: () => ({ behaviour: api.behaviour }),
    },
    options,
  );
  return Object.assign(sim, { api });
}
