/**
 * JetBrains writes dates as `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in a local offset (reference §1.5),
 * e.g. `2023-05-20T00:00:00.000+03:00`. The simulator does the same so the hub must normalise.
 */
export function formatWithOffset(instant: Date, offsetMinutes: number): string {
  const shifted = new Date(instant.getTime() + offsetMinutes * 60_000);
  const iso = shifted.toISOString().slice(0, 23); // local wall time with millis
  if (offsetMinutes === 0) return `${iso}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${iso}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export const OFFSETS = [120, 60, 0, -300, 330, 180, -480] as const;
