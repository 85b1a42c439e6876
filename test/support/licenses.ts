import type { JbLicense } from '../../src/connectors/jetbrains/jetbrains.types';
import { PRODUCTS } from '../../sandbox/jetbrains/products';

const DAY = 86_400_000;

/** An ISO date `days` before now. */
export const daysAgo = (days: number): string => new Date(Date.now() - days * DAY).toISOString();

/**
 * A JetBrains license of a person, for specs that build the simulator's data by hand: seen a day
 * ago, assigned 300 days ago, in one team, unless `over` says otherwise.
 */
export function personLicense(id: string, code: string, email: string, name: string, over: Partial<JbLicense> = {}): JbLicense {
  return {
    licenseId: id,
    product: PRODUCTS.find((p) => p.code === code)!,
    team: { id: 1, name: 'Everyone' },
    assignee: { type: 'USER', email, name },
    subscription: { validUntilDate: '2030-01-01T00:00:00.000Z', subscriptionPackRef: null, isAutomaticallyRenewed: true, isOutdated: false },
    lastSeen: { lastSeenDate: daysAgo(1), lastAssignmentDate: daysAgo(300), isOfflineCodeGenerated: false },
    isTransferableBetweenTeams: true,
    isTrial: false,
    isSuspended: false,
    isAvailableToAssign: false,
    ...over,
  };
}
