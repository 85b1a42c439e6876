import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { SIM_ATL_KEY } from '../../sandbox/atlassian/dataset';
import { AtlassianSimulator, AtlassianSimulatorOptions, startAtlassianSimulator } from '../../sandbox/atlassian/server';
import { SIM_ADMIN_TOKEN, SIM_CUSTOMER_CODE } from '../../sandbox/jetbrains/dataset';
import { JetbrainsSimulator, JetbrainsSimulatorOptions, startJetbrainsSimulator } from '../../sandbox/jetbrains/server';
import { NO_FAULTS } from '../../sandbox/shared/faults';
import type { RunningSim } from '../../sandbox/shared/sim-server';
import type { Env } from '../../src/config/hub-config';
import { HubClient, startHub, tempDataDir, TestHub, TEST_API_KEY, TEST_ENCRYPTION_KEY, waitForLatestRun } from './hub-harness';
import { MainProcess, spawnMain } from './main-process';
import { freshSchema, postgresEnabled } from './postgres';

export { capturedLogs, eventually, hubClient, tempDataDir, TEST_API_KEY, TEST_ENCRYPTION_KEY, waitForLatestRun, walkIds, walkUserIds } from './hub-harness';
export type { HubClient, IdPage, TestHub } from './hub-harness';
export type { MainProcess } from './main-process';

/**
 * What the e2e specs start around what they check: simulators, hubs wired to them, hub processes,
 * and the accounts they connect.
 *
 *   const fx = useFixture();
 *   it('…', async () => {
 *     const { sim, hub } = await fx.jetbrains({ dataset: 'tiny' });
 *     const { id } = await connectSynced(hub);
 *     …
 *   });
 *
 * Whatever a test (or a beforeEach) starts is closed after that test, pass or fail; whatever a
 * beforeAll starts is closed after the describe block. Newest first: hubs before the simulators
 * they call.
 */

/** The simulators' admin credentials, as a customer would paste them. */
export const JETBRAINS_CREDENTIALS = { customer_code: String(SIM_CUSTOMER_CODE), api_key: SIM_ADMIN_TOKEN };
export const ATLASSIAN_CREDENTIALS = { api_key: SIM_ATL_KEY };

const DEFAULT_CREDENTIALS: Record<string, Record<string, string>> = {
  jetbrains: JETBRAINS_CREDENTIALS,
  atlassian: ATLASSIAN_CREDENTIALS,
};

type Teardown = () => Promise<unknown> | unknown;

interface Scope {
  teardowns: Teardown[];
  /** Simulators started in this scope: their faults are switched off before anything closes. */
  sims: RunningSim[];
}

/** A hub started as its own process (test/support/hub-process.ts), for tests that kill it. */
export interface HubProcess {
  child: ChildProcess;
  port: number;
  dataDir: string;
  /** fetch() on the hub with the hub key (and a JSON Content-Type when there is a body). */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** call() and its JSON body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
  json(path: string, init?: RequestInit): Promise<any>;
  /** Sends `signal` and waits until the process is gone (at once if it already is). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export class Fixture {
  private readonly suite: Scope = { teardowns: [], sims: [] };
  /** Set from a test's beforeEach to its afterEach (jest may run afterEach alone, after a failed beforeAll). */
  private test: Scope | null = null;

  private get scope(): Scope {
    return this.test ?? this.suite;
  }

  /** Closes `thing` with the rest; closing it earlier by hand is fine (it is closed once). */
  track<T extends { close(): Promise<unknown> | unknown }>(thing: T): T {
    const close = once(thing.close.bind(thing));
    thing.close = close as T['close'];
    this.onClose(close);
    return thing;
  }

  /** Runs `teardown` when the test (or the describe block, from a beforeAll) ends. */
  onClose(teardown: Teardown): void {
    this.scope.teardowns.push(teardown);
  }

  async jetbrainsSimulator(options: JetbrainsSimulatorOptions = {}): Promise<JetbrainsSimulator> {
    return this.trackSim(await startJetbrainsSimulator(options));
  }

  async atlassianSimulator(options: AtlassianSimulatorOptions = {}): Promise<AtlassianSimulator> {
    return this.trackSim(await startAtlassianSimulator(options));
  }

  /** startHub(env): the app as main.ts builds it, on a temp data dir unless env says otherwise. */
  async hub(env: Env = {}): Promise<TestHub> {
    return this.track(await startHub(env));
  }

  /** A JetBrains simulator and a hub wired to it (`env` on top). */
  async jetbrains(options: JetbrainsSimulatorOptions = {}, env: Env = {}): Promise<{ sim: JetbrainsSimulator; hub: TestHub }> {
    const sim = await this.jetbrainsSimulator(options);
    return { sim, hub: await this.hub({ JETBRAINS_BASE_URL: sim.baseUrl, ...env }) };
  }

  /** An Atlassian simulator and a hub wired to it (`env` on top). */
  async atlassian(options: AtlassianSimulatorOptions = {}, env: Env = {}): Promise<{ sim: AtlassianSimulator; hub: TestHub }> {
    const sim = await this.atlassianSimulator(options);
    return { sim, hub: await this.hub({ ATLASSIAN_BASE_URL: sim.baseUrl, ...env }) };
  }

  /**
   * The hub as a separate process with the test keys, on a temp data dir unless env says otherwise
   * (the rest of the environment is this one's, as in production). Stopped with SIGTERM at the end
   * if the test has not killed it.
   */
  async spawnHub(env: Env = {}): Promise<HubProcess> {
    const dataDir = env.HUB_DATA_DIR ?? tempDataDir();
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'hub-process.ts')], {
      env: { ...process.env, HUB_DATA_DIR: dataDir, HUB_API_KEY: TEST_API_KEY, HUB_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, HUB_RATE_LIMIT: '0', ...env },
      cwd: join(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const kill = async (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    };
    this.onClose(() => kill('SIGTERM'));
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`hub did not start: ${output}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /READY (\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${output}`)));
    });
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${TEST_API_KEY}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      });
    return { child, port, dataDir, call, json: async (path, init) => (await call(path, init)).json(), kill };
  }

  /** src/main.ts itself as a process (its logger, its SIGTERM handling); SIGKILLed at the end if still running. */
  async spawnMain(env: Env = {}): Promise<MainProcess> {
    return spawnMain(env, (teardown) => this.onClose(teardown));
  }

  /** Closes what the current scope started, newest first; every teardown runs even if one fails. */
  async closeScope(): Promise<void> {
    const scope = this.scope;
    const { teardowns, sims } = scope;
    scope.teardowns = [];
    scope.sims = [];
    // A hub closing mid-sync must not be held up by injected latency, 429s or slow answers.
    for (const sim of sims) sim.faults.update(NO_FAULTS);
    const errors: unknown[] = [];
    for (const teardown of teardowns.reverse()) {
      try {
        await teardown();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several teardowns failed');
  }

  /** For useFixture(): a test begins; what it starts from now on is closed when it ends. */
  enterTest(): void {
    this.test = { teardowns: [], sims: [] };
  }

  /** For useFixture(): a test ends; what it started is closed. */
  async leaveTest(): Promise<void> {
    if (!this.test) return;
    try {
      await this.closeScope();
    } finally {
      this.test = null;
    }
  }

  private trackSim<T extends RunningSim>(sim: T): T {
    this.scope.sims.push(sim);
    return this.track(sim);
  }
}

/** The environment that points a hub at a fresh PostgreSQL schema, dropped with the test's other teardowns. */
export async function postgresEnv(fx: Fixture): Promise<Env> {
  const schema = await freshSchema();
  fx.onClose(schema.drop);
  return { HUB_DATABASE_URL: schema.url };
}

/**
 * The hub's databases, for it.each: SQLite (its default) and, when PostgreSQL is reachable (always
 * under TEST_POSTGRES_URL), a fresh schema per test (postgresEnv). Each entry is a name and the
 * environment that points a hub at it.
 */
export function hubDatabases(fx: Fixture): [string, () => Promise<Env>][] {
  return [['SQLite', async () => ({})], ...(postgresEnabled() ? [['PostgreSQL', () => postgresEnv(fx)] as [string, () => Promise<Env>]] : [])];
}

/**
 * A fixture for the enclosing describe block (or file): registers the jest hooks that close what
 * each test started after it, and what beforeAll started after the block. Call it before the
 * block's own afterAll, which then runs once everything is closed.
 */
export function useFixture(): Fixture {
  const fixture = new Fixture();
  beforeEach(() => fixture.enterTest());
  afterEach(() => fixture.leaveTest());
  afterAll(() => fixture.closeScope());
  return fixture;
}

export interface ConnectBody {
  integration?: string;
  name?: string;
  /** Default: the simulator's admin credentials for the integration. */
  credentials?: Record<string, string>;
  /**
   * Default true: specs connect the one sandbox organization many times on one hub (an account per
   * case); the 409 for an organization connected already has its own test (false there).
   */
  allow_duplicate?: boolean;
}

export interface Connected {
  id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
  body: any;
}

/** Connects an account (JetBrains unless `integration` says otherwise), expecting 201. */
export async function connect(hub: HubClient, body: ConnectBody = {}): Promise<Connected> {
  const integration = body.integration ?? 'jetbrains';
  const credentials = body.credentials ?? DEFAULT_CREDENTIALS[integration];
  const res = await hub.post('/integrated-accounts', { allow_duplicate: true, ...body, integration, credentials }).expect(201);
  return { id: res.body.id, body: res.body };
}

/** connect(), then waits until its first sync has succeeded and returns that run too. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read in a test
export async function connectSynced(hub: HubClient, body: ConnectBody = {}): Promise<Connected & { run: any }> {
  const connected = await connect(hub, body);
  return { ...connected, run: await waitForLatestRun(hub, connected.id) };
}

function once<T>(fn: () => T): () => T {
  let done = false;
  let result: T;
  return () => {
    if (!done) {
      done = true;
      result = fn();
    }
    return result;
  };
}
