/**
 * The connector kit: everything a connector may use, and nothing else. A connector imports from
 * here (and from `common/` for generic utilities); never from the hub's feature modules, and never
 * from another connector. `.dependency-cruiser.js` checks it in `npm test`.
 */
export type {
  AuthenticationResult,
  ConnectorAccount,
  ConnectorPage,
  Credentials,
  HubConnector,
  PageRequest,
  PartsChunk,
  ProxyRequest,
  ProxyResponse,
  RecordsChunk,
  RunScope,
  SnapshotChunk,
  SnapshotSink,
} from './connector.contract';
export { Connector } from './connector.decorator';
export { ConnectorKitModule } from './connector-kit.module';

// Talking to the upstream: one client with retries, timeouts and one classification of failures.
export { UpstreamHttp, redactUrl } from './http/upstream-http';
export type { ForwardRequest, ForwardResponse, JsonRequest, JsonResponse } from './http/upstream-http';
export { ConcurrencyGate } from './http/concurrency-gate';
export { forwardToUpstream, stripHopByHop } from './http/proxy-forwarding';
export { classifyNetworkError, classifyUpstreamStatus, isRetryableStatus, malformed, readJsonBody } from './http/upstream-errors';
export type { UpstreamFailure } from './http/upstream-errors';

// Paging and mapping onto the unified model.
export { pageOfSorted, memoInRun } from './connector-paging';
export { compareIds, emptyPlan, latestDate, toUtc } from './mapping-helpers';
export { RawJson, jsonText } from './raw-json';
export { TOMBSTONE, overlayRecords, serializeRecord } from './snapshot-records';
export type { OverlayKind, RemotePart, SerializedRecord, SnapshotKind, UnifiedItem } from './snapshot-records';
// What the hub derives from users (seats, people): for a connector that hands over serialised records.
export { NOT_PEOPLE, deriveRows, deriveRowsOfRecords, personOfUser, planKey, seatOf, seatPlanKey, seatRow, seatsOfUser } from './derived-rows';
export type { DerivedPersonRow, DerivedRows, DerivedSeatRow, PersonInAccount, Seat, SeatHolder } from './derived-rows';
export type {
  DirectoryResource,
  UnifiedEmail,
  UnifiedGroup,
  UnifiedLicensePlan,
  UnifiedRef,
  UnifiedUser,
  UnifiedUserLicense,
} from './unified.types';

// The hub's error vocabulary, so a connector's failures read like the rest of the hub's.
export { HubError, isHubError } from '../common/errors';
export type { ErrorCode } from '../common/errors';
