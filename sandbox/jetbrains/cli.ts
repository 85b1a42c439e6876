import { cliArgs } from '../shared/cli-args';
import { startJetbrainsSimulator } from './server';
import { DatasetOrder, SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from './dataset';

/**
 * Standalone JetBrains simulator: `npm run sim:jetbrains -- --dataset 10k --port 4010 --latency 25 [--max-concurrent 8] [--cache-lists true]
 * [--order friendly] [--seed 42]`. `--order friendly` serves the generated licenses in the order they were made, with ids
 * that sort that way (the old shape); the default, `realistic`, serves them shuffled with random ids as the real API does.
 * Faults can be changed while it runs: `curl -X PUT localhost:4010/__sim/faults -d '{"rate429":0.2}'`.
 */
async function main(): Promise<void> {
  const args = cliArgs();
  const simulator = await startJetbrainsSimulator({
    port: Number(args.get('port') ?? 4010),
    dataset: args.get('dataset') ?? 'small',
    datasetOptions: {
      ...(args.has('order') ? { order: args.get('order') as DatasetOrder } : {}),
      ...(args.has('seed') ? { seed: Number(args.get('seed')) } : {}),
    },
    faults: {
      latencyMs: Number(args.get('latency') ?? 0),
      maxConcurrent: Number(args.get('max-concurrent') ?? 0),
    },
    behaviour: { cacheLists: args.get('cache-lists') === 'true' },
  });
  console.log(`JetBrains simulator on ${simulator.baseUrl} (${simulator.api.dataset.licenses.length} licenses)`);
  console.log(`  customer_code=${SIM_CUSTOMER_CODE} api_key=${SIM_ADMIN_TOKEN}`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
