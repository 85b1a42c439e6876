import type { UnifiedUser } from '../connector-kit';
import { NOT_PEOPLE } from './seat-derivation';

/** What one account says about a person, as the people endpoint shows it. */
export interface PersonInAccount {
  user_id: string;
  name: string | null;
  status: string;
  last_active_at: string | null;
  licenses: { product_code: string; product_name: string | null; last_active_at: string | null }[];
}

/**
 * A user as one entry of the people index, keyed by lowercased email. Users without a known email
 * (Atlassian hides some) cannot be matched across accounts and are left out, as are bots and portal
 * customers. A closed account stays, with its status: "what did alice@ hold?" includes what was closed.
 */
export function personOfUser(user: UnifiedUser): { email: string; entry: PersonInAccount } | null {
  if (NOT_PEOPLE.has(user.account_type ?? '')) return null;
  const email = user.email?.trim().toLowerCase();
  if (!email) return null;
  return {
    email,
    entry: {
      user_id: user.id,
      name: user.name,
      status: user.status,
      last_active_at: user.last_active_at,
      licenses: user.licenses.map((l) => ({ product_code: l.product_code, product_name: l.product_name ?? l.name, last_active_at: l.last_active_at })),
    },
  };
}
