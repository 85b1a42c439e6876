import type { FaultSettings } from '../shared/faults';
import { RunningSim, SimAnswer, startSimServer } from '../shared/sim-server';
import { ApiBehaviour, JetbrainsApi } from './api';
import { buildDataset, DatasetName, DatasetOptions, JetbrainsDataset } from './dataset';

export const API_PREFIX = '/api/v1';
export type { RecordedRequest } from '../shared/sim-server';

export interface JetbrainsSimulatorOptions {
  port?: number;
  dataset?: DatasetName | string | JetbrainsDataset;
  /** For a named dataset: its order (`realistic` by default, `friendly` for the old shape) and seed. */
  datasetOptions?: DatasetOptions;
  faults?: Partial<FaultSettings>;
  behaviour?: Partial<ApiBehaviour>;
}

export interface JetbrainsSimulator extends RunningSim {
  api: JetbrainsApi;
}

const error = (status: number, code: string, description: string): SimAnswer => ({ status, body: { code, description } });

/**
 * A local JetBrains Account API (reference §1 and §6): same paths under /api/v1, headers, paging
 * and error bodies, plus fault injection. `/__sim/*` is the control surface for tests and benchmarks.
 */
export async function startJetbrainsSimulator(options: JetbrainsSimulatorOptions = {}): Promise<JetbrainsSimulator> {
  const dataset = typeof options.dataset === 'object' ? options.dataset : buildDataset(options.dataset ?? 'tiny', new Date(), options.datasetOptions);
  const api = new JetbrainsApi(dataset, { assignedDefault: 'all', apiDisabled: false, sendTotalCount: true, ...options.behaviour });
  const sim = await startSimServer(
    {
      prefix: API_PREFIX,
      handle: (req) => api.handle({ ...req, selfUrl: req.baseUrl + req.path }),
      // JetBrains publishes no rate-limit contract (reference open question 3): a 429 in its own error shape.
      faultAnswer: (kind, faults, headers) => {
        if (kind === '500-echo' || kind === '401-echo') {
          const key = String(headers['x-api-key'] ?? '');
          const quoted = `key=${key} customer=${String(headers['x-customer-code'] ?? '')} (prefix ${key.slice(0, 12)}…)`;
          return kind === '401-echo' ? error(401, 'INVALID_TOKEN', `Token rejected: ${quoted}`) : error(500, 'INTERNAL_ERROR', `Lookup failed for ${quoted}`);
        }
        if (kind === '429') return error(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded');
        if (kind === '429-retry-after') return { ...error(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded'), headers: { 'Retry-After': faults.retryAfterValue() } };
        if (kind === '503') return error(503, 'SERVICE_UNAVAILABLE', 'Service temporarily unavailable');
        return error(500, 'INTERNAL_ERROR', 'Internal server error');
      },
      control: (route, input) => {
        if (route === 'PUT /__sim/behaviour') return { status: 200, body: Object.assign(api.behaviour, input) };
        if (route === 'PUT /__sim/dataset') {
          try {
            api.dataset = buildDataset(String(input.name ?? 'tiny'), new Date(), {
              ...(input.order !== undefined ? { order: input.order as DatasetOptions['order'] } : {}),
              ...(input.seed !== undefined ? { seed: Number(input.seed) } : {}),
            });
          } catch (err) {
            return { status: 400, body: { error: (err as Error).message } };
          }
          api.clearCache();
          return { status: 200, body: { licenses: api.dataset.licenses.length } };
        }
        return null;
      },
      state: () => ({ behaviour: api.behaviour, licenses: api.dataset.licenses.length }),
    },
    options,
  );
  return Object.assign(sim, { api });
}
