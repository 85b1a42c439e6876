import type { DirectoryResource } from '../connector-kit/unified.types';
import type { SnapshotChunk } from '../connector-kit/connector.contract';
import { OverlayKind, overlayRecords, serializeRecord, UnifiedItem } from '../connector-kit/snapshot-records';
import { DirectoryRepository } from '../store/directory.repository';

/** Records serialised and written at a time: bounds the memory a large snapshot needs. */
const CHUNK = 1_000;

/**
 * Serialises unified records and writes them into a snapshot chunk by chunk, so a 40k-user
 * snapshot never exists twice in memory (as objects and as JSON).
 */
export class SnapshotWriter {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly snapshotId: string,
  ) {}

  async writeList(kind: DirectoryResource, items: UnifiedItem[]): Promise<void> {
    for (let start = 0; start < items.length; start += CHUNK) {
      await this.directory.write(this.snapshotId, kind, items.slice(start, start + CHUNK).map(serializeRecord));
    }
  }

  /** Writes the records of `variant` that differ from `base`, and tombstones for those it drops. */
  async writeOverlay(kind: OverlayKind, base: UnifiedItem[], variant: UnifiedItem[]): Promise<void> {
    await this.directory.write(this.snapshotId, kind, overlayRecords(base, variant));
  }

  /** What a connector already serialised (see HubConnector.readSnapshot). */
  async writeChunk(chunk: SnapshotChunk): Promise<void> {
    if ('parts' in chunk) await this.directory.writeParts(this.snapshotId, chunk.kind, chunk.parts);
    else await this.directory.write(this.snapshotId, chunk.kind, chunk.records);
  }
}
