import { daysInactive, inactivityCutoff, isNeverUsed, reclaimReason } from './seat-rules';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number, ms = 0) => new Date(NOW - days * DAY - ms).toISOString();
const cutoff = inactivityCutoff(NOW, 60);

describe('reclaim rules', () => {
  it('puts the cutoff exactly inactive_days before the request time', () => {
    expect(cutoff).toBe('2026-10-02T12:00:00.000Z');
  });

  it('inactive: last activity strictly older than the window', () => {
    expect(reclaimReason({ assigned_at: ago(400), last_active_at: ago(60, 1) }, cutoff)).toBe('inactive');
    expect(reclaimReason({ assigned_at: ago(400), last_active_at: ago(60) }, cutoff)).toBeNull(); // exactly 60 days: not older
    expect(reclaimReason({ assigned_at: ago(400), last_active_at: ago(59) }, cutoff)).toBeNull();
  });

  it('never_used: no activity and assigned before the window, or at an unknown date', () => {
    expect(reclaimReason({ assigned_at: ago(60, 1), last_active_at: null }, cutoff)).toBe('never_used');
    expect(reclaimReason({ assigned_at: null, last_active_at: null }, cutoff)).toBe('never_used');
  });

  it('a seat assigned within the window and not used yet is not reclaimable', () => {
    expect(reclaimReason({ assigned_at: ago(60), last_active_at: null }, cutoff)).toBeNull();
    expect(reclaimReason({ assigned_at: ago(3), last_active_at: null }, cutoff)).toBeNull();
  });

  it('activity from before the current assignment counts as never used', () => {
    const previousHolder = { assigned_at: ago(90), last_active_at: ago(200) };
    expect(isNeverUsed(previousHolder)).toBe(true);
    expect(reclaimReason(previousHolder, cutoff)).toBe('never_used');
    // Re-assigned within the window: the new holder has not had the window yet.
    expect(reclaimReason({ assigned_at: ago(10), last_active_at: ago(200) }, cutoff)).toBeNull();
    // Activity after the assignment is activity: recent, so not reclaimable.
    expect(isNeverUsed({ assigned_at: ago(90), last_active_at: ago(5) })).toBe(false);
    expect(reclaimReason({ assigned_at: ago(90), last_active_at: ago(5) }, cutoff)).toBeNull();
  });

  it('activity with an unknown assignment date is taken as it is', () => {
    expect(reclaimReason({ assigned_at: null, last_active_at: ago(61) }, cutoff)).toBe('inactive');
    expect(reclaimReason({ assigned_at: null, last_active_at: ago(1) }, cutoff)).toBeNull();
  });

  it('counts whole days since the activity, or since the assignment when never used', () => {
    expect(daysInactive({ assigned_at: ago(400), last_active_at: ago(61, 5_000) }, NOW)).toBe(61);
    expect(daysInactive({ assigned_at: ago(90, 1), last_active_at: null }, NOW)).toBe(90);
    expect(daysInactive({ assigned_at: ago(90), last_active_at: ago(200) }, NOW)).toBe(90);
    expect(daysInactive({ assigned_at: null, last_active_at: null }, NOW)).toBeNull();
    expect(daysInactive({ assigned_at: null, last_active_at: new Date(NOW + DAY).toISOString() }, NOW)).toBe(0);
  });

  it('accepts windows of 1 day and of ten years', () => {
    expect(reclaimReason({ assigned_at: null, last_active_at: ago(1, 1) }, inactivityCutoff(NOW, 1))).toBe('inactive');
    expect(reclaimReason({ assigned_at: null, last_active_at: ago(3000) }, inactivityCutoff(NOW, 3650))).toBeNull();
  });
});
