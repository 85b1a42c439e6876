import { jsonText } from './raw-json';
import type { DirectoryResource } from './unified.types';

/**
 * What a snapshot holds: the three lists, plus overlays for the variants that keep outdated
 * licenses. An overlay holds only the records that differ from its base list (and a tombstone for
 * one the variant drops), so the variant costs little when few records differ.
 */
export type OverlayKind = 'users:with-outdated' | 'licenses:with-outdated';
export type SnapshotKind = DirectoryResource | OverlayKind;

/** The data of an overlay record that removes a base record from the variant. */
export const TOMBSTONE = 'null';

/**
 * A unified record ready to store: its JSON without remote_data, and the raw data as JSON text, or
 * the ids of the parts the raw data is the array of (see RemotePart).
 */
export interface SerializedRecord {
  id: string;
  data: string;
  remote_data: string | null;
  remote_part_ids?: string[];
}

/**
 * A piece of raw data stored before the records it belongs to exist: JetBrains hands over each raw
 * license while the pages download, before any person's record can be built. A record that lists
 * part ids gets the JSON array of those parts, in its order, as its remote_data.
 */
export interface RemotePart {
  part_id: string;
  data: string;
}

/** A unified record as a connector returns it: an id, its fields, perhaps its raw upstream data. */
export type UnifiedItem = { id: string; remote_data?: unknown };

export function serializeRecord(item: UnifiedItem): SerializedRecord {
  const { remote_data, ...unified } = item;
  return { id: item.id, data: JSON.stringify(unified), remote_data: remote_data === undefined ? null : jsonText(remote_data) };
}

/**
 * The overlay that turns `base` into `variant`: the records of `variant` that differ, and tombstones
 * for those it drops. A connector that returns the same object in both lists (JetBrains does, for
 * everyone without an outdated license) costs nothing here; other records are compared by JSON.
 */
export function overlayRecords(base: UnifiedItem[], variant: UnifiedItem[]): SerializedRecord[] {
  const baseById = new Map(base.map((item) => [item.id, item]));
  const overlay: SerializedRecord[] = [];
  for (const item of variant) {
    const same = baseById.get(item.id);
    baseById.delete(item.id);
    if (same === item) continue;
    const record = serializeRecord(item);
    if (same) {
      const old = serializeRecord(same);
      if (old.data === record.data && old.remote_data === record.remote_data) continue;
    }
    overlay.push(record);
  }
  for (const id of baseById.keys()) overlay.push({ id, data: TOMBSTONE, remote_data: null });
  return overlay;
}
