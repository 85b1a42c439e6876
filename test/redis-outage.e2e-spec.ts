import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, JETBRAINS_CREDENTIALS, useFixture } from './support/fixture';
import { freshRedisPrefix } from './support/redis';
import { redisRelay } from './support/redis-relay';

/** CPU time (user + system) a process has used, in ms, from /proc (Linux clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const onLinux = process.platform === 'linux' ? it : it.skip;

describe('a cluster-mode hub whose Redis goes away', () => {
  const fx = useFixture();

  onLinux('backs off instead of spinning, says so in /health/ready, and comes back with Redis', async () => {
    const redis = freshRedisPrefix();
    fx.onClose(redis.drop);
    const relay = await redisRelay();
    fx.onClose(() => relay.close());
    // A worker replica: it answers only /health* and /metrics.
    const hub = await fx.spawnHub({ HUB_REDIS_URL: `redis://127.0.0.1:${relay.port}`, HUB_REDIS_PREFIX: redis.prefix, HUB_ROLE: 'worker' });
    expect((await hub.call('/health/ready')).status).toBe(200);
    const metrics = await hub.call('/metrics');
    expect(metrics.status).toBe(200);
    // The queue's depth is read from Redis (the schedule's tick job may be waiting at boot: any count).
    expect(await metrics.text()).toMatch(/^hub_sync_queue_jobs\{driver="bullmq",state="waiting",replica="[^"]+"\} \d+$/m);
    // Idle for a moment, to see what an idle hub costs here.
    const idleFrom = cpuMs(hub.child.pid!);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const idle = cpuMs(hub.child.pid!) - idleFrom;

    await relay.cut();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const from = cpuMs(hub.child.pid!);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const spent = cpuMs(hub.child.pid!) - from;
    const elapsed = Date.now() - started;
    // A loop retrying at once burns a whole core (about `elapsed` ms of CPU); backing off costs little
    // more than idling. A tenth of a core leaves room for a loaded machine.
    expect(spent).toBeLessThan(elapsed / 10 + idle);

    const down = await hub.call('/health/ready');
    expect(down.status).toBe(503);
    const body = (await down.json()) as { details: { checks: Record<string, { status: string; message?: string }> } };
    expect(body.details.checks.redis).toMatchObject({ status: 'down', message: expect.stringMatching(/Redis connection is (reconnecting|connecting|close)/) });
    // Metrics still answer, without the queue's depth (Redis cannot tell it).
    const blind = await hub.call('/metrics');
    expect(blind.status).toBe(200);
    const text = await blind.text();
    expect(text).toContain('hub_sync_runs_total');
    expect(text).not.toMatch(/^hub_sync_queue_jobs\{/m);
    // The answer comes at once, not after the probe's timeout.
    const askedAt = Date.now();
    await hub.call('/health/ready');
    expect(Date.now() - askedAt).toBeLessThan(1_500);

    await relay.restore();
    // Reconnects within the longest backoff.
    const back = Date.now();
    for (;;) {
      if ((await hub.call('/health/ready')).status === 200) break;
      if (Date.now() - back > 15_000) throw new Error('not ready again after 15 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);

  onLinux('SIGTERM while Redis is away and a sync is going: the run is stopped and recorded, the process exits within the bound, never spinning', async () => {
    const sim = await fx.jetbrainsSimulator({ dataset: '1k' });
    const redis = freshRedisPrefix();
    fx.onClose(redis.drop);
    const relay = await redisRelay();
    fx.onClose(() => relay.close());
    const hub = await fx.spawnMain({ HUB_REDIS_URL: `redis://127.0.0.1:${relay.port}`, HUB_REDIS_PREFIX: redis.prefix, JETBRAINS_BASE_URL: sim.baseUrl, HUB_SHUTDOWN_TIMEOUT: '1s' });
    const created = await hub.call('/integrated-accounts', { method: 'POST', body: JSON.stringify({ integration: 'jetbrains', credentials: JETBRAINS_CREDENTIALS }) });
    const { id } = (await created.json()) as { id: string };
    await eventually(async () => expect((await hub.json(`/integrated-accounts/${id}/syncs`)).result[0]?.status).toBe('succeeded'), 60_000);
    sim.faults.update({ latencyMs: 5_000 });
    const run = await hub.json(`/integrated-accounts/${id}/sync`, { method: 'POST' });
    await eventually(async () => expect((await hub.json(`/integrated-accounts/${id}/syncs/${run.id}`)).status).toBe('running'), 30_000, 50);

    await relay.cut();
    const from = cpuMs(hub.child.pid!);
    const signalled = Date.now();
    hub.child.kill('SIGTERM');
    // Sampled while it shuts down: a spinning loop would also stop the exit timer from firing.
    let spent = 0;
    const sampler = setInterval(() => {
      try {
        spent = cpuMs(hub.child.pid!) - from;
      } catch {
        // gone
      }
    }, 100);
    const exit = await hub.exited;
    clearInterval(sampler);
    const took = exit.at - signalled;
    // 1 s of drain, the stopped run's end, 3 s at most for the worker: out well before the hard stop (16 s).
    expect(took).toBeLessThan(15_000);
    expect(spent).toBeLessThan(took / 2);
    expect(exit.code).toBe(0);
    // Not handed back (Redis away): left for the next schedule tick or boot, which run it again.
    expect(hub.stdout.join('\n')).toMatch(/drained: 0 run\(s\) finished, 1 stopped/);

    const db = new Database(join(hub.dataDir, 'hub.sqlite'), { readonly: true });
    try {
      expect(db.prepare('select status, error_code from sync_runs where id = ?').get(run.id)).toEqual({ status: 'failed', error_code: 'HUB_SHUTDOWN' });
    } finally {
      db.close();
    }
  }, 90_000);
});
