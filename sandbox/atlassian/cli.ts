import { cliArgs } from '../shared/cli-args';
import { SIM_ATL_KEY, SIM_ATL_NO_SEARCH_KEY, SIM_ATL_NO_V2_KEY, SIM_ATL_ORG_ID } from './dataset';
import { startAtlassianSimulator } from './server';

/** Standalone Atlassian Admin API simulator: `npm run sim:atlassian -- --dataset 1k --port 4020`. */
async function main(): Promise<void> {
  const args = cliArgs();
  const simulator = await startAtlassianSimulator({
    port: Number(args.get('port') ?? 4020),
    dataset: args.get('dataset') ?? 'small',
    faults: { latencyMs: Number(args.get('latency') ?? 0) },
  });
  console.log(`Atlassian simulator on ${simulator.baseUrl}`);
  console.log(`  api_key=${SIM_ATL_KEY} org_id=${SIM_ATL_ORG_ID}`);
  console.log(`  as an org without the v2 user search: ${SIM_ATL_NO_SEARCH_KEY}; without v2: ${SIM_ATL_NO_V2_KEY}`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
