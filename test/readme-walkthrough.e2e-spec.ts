import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDataDir } from './support/hub-harness';

/**
 * The README's "Using it" walkthrough, run as written: its bash block(s) against the two simulators
 * and a hub started by `npm start`, exactly as a reader pastes them. The only changes: free ports for
 * 3000/4010/4020, and a temp dir for the data and the logs. Any failing command (each call fails on an
 * HTTP error) or unset variable fails the test, and the final `kill` must stop all three processes.
 */
const ROOT = join(__dirname, '..');

export function walkthroughScript(readme: string): string {
  const start = readme.indexOf('\n## Using it');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const blocks = [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  if (blocks.length === 0) throw new Error('no ```bash block under "## Using it" in README.md');
  return blocks.join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('README walkthrough', () => {
  it('runs top to bottom against the simulators', async () => {
    const script = walkthroughScript(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    // What the walkthrough promises a reader: simulators, base URLs, the three variables it sets.
    for (const needed of ['npm run sim:jetbrains', 'npm run sim:atlassian', 'JETBRAINS_BASE_URL=', 'ATLASSIAN_BASE_URL=', 'npm start', ' ID=$(', 'CURSOR=$(', 'ATL_ID=$(']) {
      expect(script).toContain(needed);
    }
    const dir = tempDataDir();
    const [hubPort, jetbrainsPort, atlassianPort] = [await freePort(), await freePort(), await freePort()];
    const adapted = script
      .replace(/\b3000\b/g, String(hubPort))
      .replace(/\b4010\b/g, String(jetbrainsPort))
      .replace(/\b4020\b/g, String(atlassianPort))
      .replace(/\bdata\/api-key\b/g, join(dir, 'api-key'))
      .replace(/\b(sim-jetbrains|sim-atlassian|hub)\.log\b/g, (name) => join(dir, name));
    // Run as in a terminal: `script` gives bash a pseudo-terminal, and -m job control, so each
    // background job is its own process group and `kill %1` stops npm and the process it started.
    // If a step fails, the trap stops whatever is left.
    const file = join(dir, 'walkthrough.sh');
    writeFileSync(
      file,
      'set -euo pipefail\n' +
        'trap \'s=$?; for job in $(jobs -p); do kill -- -"$job" 2>/dev/null || true; done; exit $s\' EXIT\n' +
        adapted,
    );
    const child = spawn('script', ['-qefc', `bash -m ${file}`, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'dumb', HUB_DATA_DIR: dir, PORT: String(hubPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGTERM'), 240_000);
      child.on('exit', (exitCode) => (clearTimeout(timer), resolve(exitCode)));
    });
    output = output.replace(/\r\n/g, '\n');
    const logs = ['hub.log', 'sim-jetbrains.log', 'sim-atlassian.log']
      .map((name) => { try { return `--- ${name}\n${readFileSync(join(dir, name), 'utf8').slice(-3000)}`; } catch { return ''; } })
      .join('\n');
    if (code !== 0) throw new Error(`the walkthrough failed (exit ${code}):\n${output.slice(-6000)}\n${logs}`);

    // The second users page kept limit=90: the last 8 of 98 people; the looked-up user exists.
    expect(output).toMatch(/"next_cursor":null,"result_count":8[,}]/);
    expect(output).toContain('"id":"ada.obrien@corp.example"');
    // The last step stopped everything it started.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const port of [hubPort, jetbrainsPort, atlassianPort]) expect([port, await answers(port)]).toEqual([port, false]);
  }, 300_000);
});
