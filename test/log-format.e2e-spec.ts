import { SIM_ADMIN_TOKEN } from '../sandbox/jetbrains/dataset';
import { eventually, JETBRAINS_CREDENTIALS, MainProcess, TEST_API_KEY, TEST_ENCRYPTION_KEY, useFixture } from './support/fixture';

/** JSON log lines as the hub writes them with HUB_LOG_FORMAT=json. */
interface LogLine {
  level: string;
  pid: number;
  timestamp: number;
  message: unknown;
  context?: string;
  run_id?: string;
  account_id?: string;
}

async function connectAndSync(hub: MainProcess): Promise<{ id: string; runId: string }> {
  const created = await hub.call('/integrated-accounts', { method: 'POST', body: JSON.stringify({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }) });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const run = await eventually(async () => {
    const latest = (await hub.json(`/integrated-accounts/${id}/syncs`)).result[0];
    if (latest?.status !== 'succeeded') throw new Error(`latest run is ${latest?.status}`);
    return latest;
  }, 60_000);
  return { id, runId: run.id };
}

describe('HUB_LOG_FORMAT', () => {
  const fx = useFixture();

  it('json: every stdout line is one JSON object, sync lines name their run and account, no secret anywhere', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: 'tiny' });
    const hub = await fx.spawnMain({ JETBRAINS_BASE_URL: sim.baseUrl, HUB_LOG_FORMAT: 'json' });
    // The connect's credential test goes first; then the sync meets an upstream that quotes the key
    // it was sent in a 500 (retried, logged as a warning), then a 429.
    const { id, runId } = await (async () => {
      const connected = connectAndSync(hub);
      await eventually(async () => {
        if (!hub.stdout.some((line) => line.includes('/integrated-accounts'))) throw new Error('not yet');
      }, 5_000).catch(() => undefined);
      return connected;
    })();
    sim.faults.update({ script: ['500-echo', '429'] });
    const second = await hub.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    await eventually(async () => {
      const run = await hub.json(`/integrated-accounts/${id}/syncs/${second.id}`);
      if (run.status !== 'succeeded') throw new Error(run.status);
    }, 60_000);
    const exit = await hub.kill('SIGTERM');
    expect(exit.code).toBe(0);

    const parsed = hub.stdout.map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    expect(parsed.length).toBeGreaterThan(5);
    for (const line of parsed) {
      expect(line).toEqual(expect.objectContaining({ level: expect.any(String), pid: hub.child.pid, timestamp: expect.any(Number) }));
      expect(typeof line.message === 'string' || typeof line.message === 'object').toBe(true);
    }
    // Errors go to stderr, as JSON too.
    for (const line of hub.stderr.filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();

    const succeeded = parsed.filter((line) => typeof line.message === 'string' && / succeeded in /.test(line.message));
    expect(succeeded.map((line) => [line.run_id, line.account_id])).toEqual([
      [runId, id],
      [second.id, id],
    ]);
    // The upstream client's retry warnings, written deep inside the run, carry it too.
    const retries = parsed.filter((line) => line.level === 'warn' && typeof line.message === 'string' && line.message.startsWith('retry '));
    expect(retries.length).toBe(2);
    for (const line of retries) expect([line.run_id, line.account_id]).toEqual([second.id, id]);
    expect(retries.some((line) => (line.message as string).includes('[REDACTED]'))).toBe(true);
    // Lines outside any run carry no run.
    expect(parsed.find((line) => typeof line.message === 'string' && line.message.startsWith('listening on'))?.run_id).toBeUndefined();
    // The shutdown is logged as well.
    expect(parsed.some((line) => line.context === 'Shutdown' && /stopped in \d+ ms/.test(String(line.message)))).toBe(true);

    const everything = [...hub.stdout, ...hub.stderr].join('\n');
    for (const secret of [SIM_ADMIN_TOKEN, SIM_ADMIN_TOKEN.slice(0, 12), TEST_API_KEY, TEST_ENCRYPTION_KEY]) expect(everything).not.toContain(secret);
  }, 120_000);

  it('text (the default): Nest\'s own lines; a wrong value stops the boot naming the variable', async () => {
    const hub = await fx.spawnMain({ NO_COLOR: '1' });
    const listening = hub.stdout.find((line) => line.includes('listening on'))!;
    expect(listening).toMatch(/\[Hub\] listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(() => JSON.parse(listening)).toThrow();
    expect((await hub.kill('SIGTERM')).code).toBe(0);

    await expect(fx.spawnMain({ HUB_LOG_FORMAT: 'yaml' })).rejects.toThrow(/HUB_LOG_FORMAT must be text or json/);
  }, 120_000);
});
