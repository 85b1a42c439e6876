import { SerializedRecord, SnapshotKind, deriveRowsOfRecords, overlayRecords, serializeRecord } from '../../connector-kit';
import type { DerivedPersonRow, DerivedRows, DerivedSeatRow, RecordsChunk } from '../../connector-kit';
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
  const derive = derivation(licenses);
  const differing: SerializedRecord[] = [];
  let users: SerializedRecord[] = [];
  let seatUpdates: DerivedSeatRow[] = [];
  let people: DerivedPersonRow[] = [];
  for (const person of licenses.userRecords()) {
    if (person.current) users.push(person.current);
    if (person.withOutdated) differing.push(person.withOutdated);
    for (const seat of person.seatUpdates) seatUpdates.push(seat);
    if (person.person) people.push(person.person);
    if (users.length === SNAPSHOT_CHUNK) {
      yield { kind: 'users', records: users, derived: derive.users(users, seatUpdates, people) };
      users = [];
      seatUpdates = [];
      people = [];
    }
  }
  if (users.length > 0 || seatUpdates.length > 0) yield { kind: 'users', records: users, derived: derive.users(users, seatUpdates, people) };
  for (const chunk of chunked('users:with-outdated', differing)) yield { ...chunk, derived: derive.withOutdated(chunk.records) };
  yield* chunked('groups', licenses.groups(tokenTeams).map(serializeRecord));
  const plans = licenses.licensePlans();
  yield* chunked('licenses', plans.map(serializeRecord));
  yield* chunked('licenses:with-outdated', overlayRecords(plans, licenses.licensePlans({ includeOutdated: true })));
}

/**
 * The seat and people rows of user records, made here (in the worker thread) rather than by the
 * hub's main thread, which would have to parse every record again while it writes. When the seats
 * were handed out with the pages, the people rows come from the accumulator (no record parsed again), with the seats to correct.
 */
function derivation(licenses: LicenseAccumulator) {
  if (!licenses.handedOutSeats) {
    return {
      users: (records: SerializedRecord[], _seatUpdates: DerivedSeatRow[], _people: DerivedPersonRow[]): DerivedRows => deriveRowsOfRecords(records),
      withOutdated: (records: SerializedRecord[]): DerivedRows => deriveRowsOfRecords(records, true),
    };
  }
  return {
    users: (_records: SerializedRecord[], seatUpdates: DerivedSeatRow[], people: DerivedPersonRow[]): DerivedRows => ({ seats: [], people, seatUpdates }),
    withOutdated: (): DerivedRows => ({ seats: [], people: [] }),
  };
}

function* chunked(kind: SnapshotKind, records: SerializedRecord[]): Generator<RecordsChunk> {
  for (let start = 0; start < records.length; start += SNAPSHOT_CHUNK) {
    yield { kind, records: records.slice(start, start + SNAPSHOT_CHUNK) };
  }
}
