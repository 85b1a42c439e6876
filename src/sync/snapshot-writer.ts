import { jsonText } from '../hub/raw-json';
import type { DirectoryResource } from '../hub/unified.types';
import { DirectoryRecord, DirectoryRepository, OverlayKind, TOMBSTONE } from '../store/directory.repository';

/** A unified record as a connector returns it: an id, its fields, perhaps its raw upstream data. */
export type UnifiedItem = { id: string; remote_data?: unknown };

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
      await this.directory.write(this.snapshotId, kind, items.slice(start, start + CHUNK).map(toRecord));
    }
  }

  /**
   * Writes the records of `variant` that differ from `base`, and tombstones for those it drops.
   * A connector that returns the same object in both lists (JetBrains does, for everyone without
   * an outdated license) costs nothing here; other records are compared by their JSON.
   */
  async writeOverlay(kind: OverlayKind, base: UnifiedItem[], variant: UnifiedItem[]): Promise<void> {
    const baseById = new Map(base.map((item) => [item.id, item]));
    const overlay: DirectoryRecord[] = [];
    for (const item of variant) {
      const same = baseById.get(item.id);
      baseById.delete(item.id);
      if (same === item) continue;
      const record = toRecord(item);
      if (same) {
        const old = toRecord(same);
        if (old.data === record.data && old.remote_data === record.remote_data) continue;
      }
      overlay.push(record);
    }
    for (const id of baseById.keys()) overlay.push({ id, data: TOMBSTONE, remote_data: null });
    await this.directory.write(this.snapshotId, kind, overlay);
  }
}

function toRecord(item: UnifiedItem): DirectoryRecord {
  const { remote_data, ...unified } = item;
  return { id: item.id, data: JSON.stringify(unified), remote_data: remote_data === undefined ? null : jsonText(remote_data) };
}
