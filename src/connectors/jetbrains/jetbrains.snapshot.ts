import { SerializedRecord, SnapshotKind, deriveRowsOfRecords, overlayRecords, serializeRecord } from '../../connector-kit';
import type { DerivedPersonRow, DerivedSeatRow, RecordsChunk } from '../../connector-kit';
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
  const seatsOf = unhandedSeats(licenses);
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
      yield { kind: 'users', records: users, derived: { seats: seatsOf(users, false), people, seatUpdates } };
      users = [];
      seatUpdates = [];
      people = [];
    }
  }
  if (users.length > 0 || seatUpdates.length > 0) yield { kind: 'users', records: users, derived: { seats: seatsOf(users, false), people, seatUpdates } };
  for (const chunk of chunked('users:with-outdated', differing)) yield { ...chunk, derived: { seats: seatsOf(chunk.records, true), people: [] } };
  yield* chunked('groups', licenses.groups(tokenTeams).map(serializeRecord));
  const plans = licenses.licensePlans();
  yield* chunked('licenses', plans.map(serializeRecord));
  yield* chunked('licenses:with-outdated', overlayRecords(plans, licenses.licensePlans({ includeOutdated: true })));
}

/**
 * The seat and people rows of user records are made here (in the worker thread), not by the hub's
 * main thread, which would have to parse every record again while it writes; the people rows come
 * from the accumulator. Seats come with the pages (add(page, out)) and only the few to correct with
 * the records; an accumulator that handed none out (read whole, as in tests) derives them here.
 */
function unhandedSeats(licenses: LicenseAccumulator): (records: SerializedRecord[], outdatedOnly: boolean) => DerivedSeatRow[] {
  if (licenses.handedOutSeats) return () => [];
  return (records, outdatedOnly) => deriveRowsOfRecords(records, outdatedOnly).seats;
}

function* chunked(kind: SnapshotKind, records: SerializedRecord[]): Generator<RecordsChunk> {
  for (let start = 0; start < records.length; start += SNAPSHOT_CHUNK) {
    yield { kind, records: records.slice(start, start + SNAPSHOT_CHUNK) };
  }
}
