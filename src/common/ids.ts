import { randomBytes } from 'node:crypto';

/**
 * Ids that sort by creation time (48-bit millisecond timestamp, then 80 random bits), so keyset
 * pages over them come out oldest first and two ids never collide in practice.
 */
export function sortableId(now = Date.now()): string {
  return now.toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
}
