import { closeEnvelope, freshnessHeaders, LIVE, snapshotFreshness } from './freshness';

const HOUR = 3_600_000;
const now = Date.parse('2026-12-01T12:00:00.000Z');
const ok = { status: 'active', last_sync_status: 'succeeded', last_synced_at: '2026-12-01T06:00:00.000Z' };

describe('snapshotFreshness', () => {
  it('is fresh up to twice the interval, stale past it', () => {
    expect(snapshotFreshness(ok, 3 * HOUR, now)).toEqual({ synced_at: ok.last_synced_at, stale: false, source: 'snapshot' });
    expect(snapshotFreshness(ok, 3 * HOUR - 1, now).stale).toBe(true);
  });

  it('is stale when the account needs re-auth or its last sync failed, however recent the snapshot', () => {
    expect(snapshotFreshness({ ...ok, status: 'needs_reauth' }, 24 * HOUR, now).stale).toBe(true);
    expect(snapshotFreshness({ ...ok, last_sync_status: 'failed' }, 24 * HOUR, now).stale).toBe(true);
  });

  it('keeps synced_at as the served snapshot finished, whatever else is stale', () => {
    expect(snapshotFreshness({ ...ok, last_sync_status: 'failed' }, HOUR, now).synced_at).toBe(ok.last_synced_at);
  });
});

describe('closeEnvelope and headers', () => {
  it('closes a cached page with the fields of this request', () => {
    const open = Buffer.from('{"result":[],"next_cursor":null,"result_count":0');
    expect(JSON.parse(Buffer.concat(closeEnvelope(open, snapshotFreshness(ok, HOUR, now))).toString())).toEqual({
      result: [],
      next_cursor: null,
      result_count: 0,
      synced_at: ok.last_synced_at,
      stale: true,
      source: 'snapshot',
    });
    expect(JSON.parse(Buffer.concat(closeEnvelope(open, LIVE)).toString())).toMatchObject({ synced_at: null, stale: false, source: 'live' });
  });

  it('says the same in headers', () => {
    expect(freshnessHeaders(snapshotFreshness(ok, 24 * HOUR, now))).toEqual({ 'X-Hub-Synced-At': ok.last_synced_at, 'X-Hub-Stale': 'false' });
  });
});
