import { parentPort, Transferable, Worker } from 'node:worker_threads';
import { extname, join } from 'node:path';
import { ErrorCode, HubError } from './errors';

interface Reply {
  id: number;
  value?: unknown;
  error?: { code?: ErrorCode; message: string; stack?: string };
}

/**
 * A worker thread that answers requests one by one, in order. Lets a connector move CPU work
 * (parsing and mapping a large upstream read) off the thread that serves HTTP. A HubError thrown
 * in the worker arrives as the same HubError; anything else as an Error with the worker's stack.
 */
export class WorkerThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(dir: string, name: string) {
    this.worker = startWorker(dir, name);
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`worker thread ${name} exited with code ${code}`)));
  }

  call<T>(request: unknown, transfer: Transferable[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, request }, transfer);
    });
  }

  async terminate(): Promise<void> {
    this.failure ??= new Error('worker thread terminated');
    await this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (!reply.error) return waiting.resolve(reply.value);
    if (reply.error.code) return waiting.reject(new HubError(reply.error.code, reply.error.message));
    const error = new Error(reply.error.message);
    error.stack = reply.error.stack;
    waiting.reject(error);
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}

/**
 * Starts the worker module `name` in `dir` (compiled `.js`, or `.ts` when the sources run under
 * ts-node, as in tests: the worker then compiles its modules on the fly, as the test runner does).
 * The worker never keeps the process alive: a shutdown must not wait for it.
 */
export function startWorker(dir: string, name: string, workerData?: unknown): Worker {
  const underTsNode = extname(__filename) === '.ts';
  const entry = join(dir, name + (underTsNode ? '.ts' : '.js'));
  const worker = new Worker(entry, { workerData, execArgv: underTsNode ? ['--require', require.resolve('ts-node/register/transpile-only')] : [] });
  worker.unref();
  return worker;
}

/** The worker's side: answers each request with what `handle` returns (or throws); values are copied back. */
export function serveRequests(handle: (request: never) => unknown): void {
  if (!parentPort) throw new Error('serveRequests() runs inside a worker thread only');
  const port = parentPort;
  port.on('message', ({ id, request }: { id: number; request: never }) => {
    let reply: Reply;
    try {
      reply = { id, value: handle(request) };
    } catch (error) {
      const e = error as Error;
      reply = { id, error: { code: error instanceof HubError ? error.code : undefined, message: e?.message ?? String(error), stack: e?.stack } };
    }
    port.postMessage(reply);
  });
}
