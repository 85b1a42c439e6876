import type { DerivedSeatRow, RecordsChunk, RemotePart, SnapshotSink } from '../../connector-kit';
import { WorkerThread } from '../../common/worker-thread';
import type { PageSummary } from './jetbrains.pages';
import type { JbTeam } from './jetbrains.types';

export type SnapshotWorkerRequest =
  | { op: 'page'; body: ArrayBuffer; path: string }
  | { op: 'finish'; teams: JbTeam[]; productNames: [string, string][] }
  | { op: 'next' };

/** What the worker made of a page: what the page loop needs, the raw licenses and their seats to store, product codes seen without a name. */
export interface PageRead {
  summary: PageSummary;
  parts: RemotePart[];
  seats: DerivedSeatRow[];
  unnamed: string[];
}

/**
 * Record chunks the worker may have made and the hub not yet written (about 1 MB each). With one,
 * the worker idled half of the records phase waiting to be asked; with four, the records phase of
 * a 100k sync took 0.93-1.07 s instead of 1.07-1.25 s (docs/performance.md).
 */
const CHUNKS_AHEAD = 4;

/**
 * The main thread's side of one sync's snapshot worker (jetbrains.snapshot-worker): pages are moved
 * to it without copying as they arrive, and their raw licenses stored as soon as it returns them;
 * after the last page the records come back chunk by chunk, the next ones prepared while the
 * current one is written.
 */
export class SnapshotWorker {
  private readonly thread = new WorkerThread(__dirname, 'jetbrains.snapshot-worker');
  /** Product codes the pages carried without a name: to look up in the catalogue before the records. */
  readonly unnamedProducts = new Set<string>();

  constructor(private readonly sink: SnapshotSink) {}

  readonly readPage = async (body: ArrayBuffer, path: string): Promise<PageSummary> => {
    const { summary, parts, seats, unnamed } = await this.thread.call<PageRead>({ op: 'page', body, path } satisfies SnapshotWorkerRequest, [body]);
    for (const code of unnamed) this.unnamedProducts.add(code);
    if (parts.length > 0) await this.sink.write({ kind: 'users', parts, seats });
    return summary;
  };

  /** The records, with `productNames` (code to name) for the licenses that came without one. */
  async writeRecords(teams: JbTeam[], productNames: ReadonlyMap<string, string>): Promise<void> {
    await this.thread.call({ op: 'finish', teams, productNames: [...productNames] } satisfies SnapshotWorkerRequest);
    const ask = () => {
      const next = this.thread.call<RecordsChunk | null>({ op: 'next' } satisfies SnapshotWorkerRequest);
      // Awaited below; this only keeps a failure that lands during a write from counting as unhandled.
      next.catch(() => undefined);
      return next;
    };
    // Several chunks asked for at once: the worker makes the next ones while the hub writes, and
    // the hub never waits for a round trip between two writes (asks past the end answer null).
    const pending = Array.from({ length: CHUNKS_AHEAD }, ask);
    for (let chunk = await pending.shift(); chunk; chunk = await pending.shift()) {
      pending.push(ask());
      await this.sink.write(chunk);
    }
  }

  terminate(): Promise<void> {
    return this.thread.terminate();
  }
}
