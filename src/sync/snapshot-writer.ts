import type { DirectoryResource } from '../connector-kit/unified.types';
import type { SnapshotChunk } from '../connector-kit/connector.contract';
import { OverlayKind, overlayRecords, serializeRecord, UnifiedItem } from '../connector-kit/snapshot-records';
import type { UnifiedUser } from '../connector-kit';
import { DirectoryRepository } from '../store/directory.repository';
import type { PeopleRepository } from '../store/people.repository';
import type { SeatsRepository } from '../store/seats.repository';
import { DerivedRowsWriter } from './derived-rows-writer';

/** Records serialised and written at a time: bounds the memory a large snapshot needs. */
const CHUNK = 1_000;

/**
 * Serialises unified records and writes them into a snapshot chunk by chunk, so a 40k-user
 * snapshot never exists twice in memory (as objects and as JSON). The seats the users hold and
 * the people index are derived and written beside them.
 */
export class SnapshotWriter {
  private readonly derived: DerivedRowsWriter;

  constructor(
    private readonly directory: DirectoryRepository,
    derived: { seats: SeatsRepository; people: PeopleRepository },
    private readonly snapshotId: string,
  ) {
    this.derived = new DerivedRowsWriter(derived.seats, derived.people, snapshotId);
  }

  async writeList(kind: DirectoryResource, items: UnifiedItem[]): Promise<void> {
    for (let start = 0; start < items.length; start += CHUNK) {
      const chunk = items.slice(start, start + CHUNK);
      await this.directory.write(this.snapshotId, kind, chunk.map(serializeRecord));
      if (kind === 'users') await this.derived.writeUsers(chunk as UnifiedUser[]);
    }
  }

  /** Writes the records of `variant` that differ from `base`, and tombstones for those it drops. */
  async writeOverlay(kind: OverlayKind, base: UnifiedItem[], variant: UnifiedItem[]): Promise<void> {
    const records = overlayRecords(base, variant);
    await this.directory.write(this.snapshotId, kind, records);
    if (kind === 'users:with-outdated') await this.derived.writeRecords(records, true);
  }

  /** Writes what is still held back (derived rows); call once every list was written. */
  finish(): Promise<void> {
    return this.derived.finish();
  }

  /** What a connector already serialised (see HubConnector.readSnapshot). */
  async writeChunk(chunk: SnapshotChunk): Promise<void> {
    if ('parts' in chunk) {
      await this.directory.writeParts(this.snapshotId, chunk.kind, chunk.parts);
      if (chunk.seats?.length) await this.derived.writeSeats(chunk.seats);
      return;
    }
    await this.directory.write(this.snapshotId, chunk.kind, chunk.records);
    if (chunk.kind === 'users' || chunk.kind === 'users:with-outdated') {
      await this.derived.writeRecords(chunk.records, chunk.kind === 'users:with-outdated', chunk.derived);
    }
  }
}
