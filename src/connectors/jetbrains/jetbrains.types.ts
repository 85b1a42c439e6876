/** JetBrains Account API wire shapes (reference: upstream-apis.md §1.5, §1.6). Absent means omitted. */
export interface JbProduct {
  code: string;
  name: string;
}

export type JbAssignee =
  | { type: 'USER'; name?: string | null; email: string }
  | { type: 'SERVER'; uid: string; serverType: 'LICENSE_SERVER' | 'LICENSE_VAULT' }
  | { type: 'LICENSE_KEY'; registrationName: string; key: string };

export interface JbLicense {
  licenseId: string;
  product: JbProduct;
  assignee?: JbAssignee;
  subscription?: {
    validUntilDate: string;
    subscriptionPackRef: string | null;
    isAutomaticallyRenewed: boolean;
    isOutdated: boolean;
  };
  perpetual?: { upgradeDueDate: string; isOutdated: boolean };
  domain?: string;
  lastSeen?: { lastSeenDate?: string; lastAssignmentDate?: string; isOfflineCodeGenerated: boolean };
  team: { id: number; name: string };
  isTransferableBetweenTeams: boolean;
  isTrial: boolean;
  isSuspended: boolean;
  isAvailableToAssign: boolean;
}

export interface JbTeam {
  id: number;
  name: string;
}

export interface JbError {
  code: string;
  description: string;
}

export interface JbManagedCustomer {
  type: 'CUSTOMER';
  code: number;
  name: string;
  role: 'ADMIN' | 'VIEWER' | 'PRIMARY_CONTACT';
  contactFlags: { isPrimaryLicensee: boolean; isPrimaryTechnical: boolean; isPrimaryBilling: boolean };
  teams: { id: number; name: string; role: 'ADMIN' | 'VIEWER' }[];
}

export interface JbManagedTeam {
  type: 'TEAM';
  team: { id: number; name: string; role: 'ADMIN' | 'VIEWER' };
  customer: { code: number; name: string };
}
