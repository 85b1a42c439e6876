import { SerializedRecord, SnapshotKind, deriveRowsOfRecords, overlayRecords, serializeRecord } from '../../connector-kit';
import type { RecordsChunk } from '../../connector-kit';
import type { LicenseAccumulator } from './jetbrains.mapper';
import type { JbTeam } from './jetbrains.types';

/** Records per chunk: what the hub writes in one go, and all that is serialised ahead of it. */
export const SNAPSHOT_CHUNK = 500;

/**
 * Every list of a JetBrains snapshot, serialised lazily chunk by chunk (the raw licenses were
 * handed over as parts while the pages arrived): users, the users that differ
 * once outdated licenses are kept (and those who hold only outdated ones), teams, plans, and the
 * plans that differ with outdated licenses.
 */
export function* snapshotChunks(licenses: LicenseAccumulator, tokenTeams: JbTeam[]): Generator<RecordsChunk> {
  const differing: SerializedRecord[] = [];
  let users: SerializedRecord[] = [];
  for (const { current, withOutdated } of licenses.userRecords()) {
    if (current) users.push(current);
    if (withOutdated) differing.push(withOutdated);
    if (users.length === SNAPSHOT_CHUNK) {
      yield usersChunk(users);
      users = [];
    }
  }
  if (users.length > 0) yield usersChunk(users);
  for (const chunk of chunked('users:with-outdated', differing)) yield { ...chunk, derived: deriveRowsOfRecords(chunk.records, true) };
  yield* chunked('groups', licenses.groups(tokenTeams).map(serializeRecord));
  const plans = licenses.licensePlans();
  yield* chunked('licenses', plans.map(serializeRecord));
  yield* chunked('licenses:with-outdated', overlayRecords(plans, licenses.licensePlans({ includeOutdated: true })));
}

/**
 * Users with their seat and people rows, derived here (in the worker thread) rather than by the
 * hub's main thread, which would have to parse every record again while it writes.
 */
function usersChunk(records: SerializedRecord[]): RecordsChunk {
  return { kind: 'users', records, derived: deriveRowsOfRecords(records) };
}

function* chunked(kind: SnapshotKind, records: SerializedRecord[]): Generator<RecordsChunk> {
  for (let start = 0; start < records.length; start += SNAPSHOT_CHUNK) {
    yield { kind, records: records.slice(start, start + SNAPSHOT_CHUNK) };
  }
}
