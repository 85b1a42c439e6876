/**
 * Worker thread of a JetBrains sync: decodes and maps the license pages as the main thread downloads
 * them, handing back each page's raw licenses to store right away; then the snapshot's records,
 * chunk by chunk. The main thread only does I/O and database writes meanwhile.
 */
import type { RecordsChunk } from '../../connector-kit';
import { serveRequests } from '../../common/worker-thread';
import { HandedOut, LicenseAccumulator } from './jetbrains.mapper';
import { parseLicensePage, summarizePage } from './jetbrains.pages';
import { snapshotChunks } from './jetbrains.snapshot';
import type { PageRead, SnapshotWorkerRequest } from './jetbrains.snapshot-source';

const licenses = new LicenseAccumulator();
let chunks: Iterator<RecordsChunk> | null = null;

serveRequests((request: SnapshotWorkerRequest): PageRead | RecordsChunk | null => {
  switch (request.op) {
    case 'page': {
      const items = parseLicensePage(request.body, request.path);
      const out: HandedOut = { parts: [], seats: [] };
      licenses.add(items, out);
      const unnamed = [...new Set(items.filter((l) => !l.product?.name?.trim()).map((l) => l.product?.code ?? 'unknown'))];
      return { summary: summarizePage(items), ...out, unnamed };
    }
    case 'finish':
      chunks = snapshotChunks(licenses.nameProducts(new Map(request.productNames)), request.teams);
      return null;
    case 'next': {
      if (!chunks) throw new Error('next before finish');
      const next = chunks.next();
      return next.done ? null : next.value;
    }
  }
});
