import type { Session } from '../api/types';
import { ApiKeysSection } from './settings-keys';
import { ConnectLinksSection } from './settings-connect-links';
import { SeatPricesSection } from './settings-prices';
import { WebhooksSection } from './settings-webhooks';

export function SettingsPage({ session }: { session: Session }) {
  if (session.key.scope !== 'admin') {
    return (
      <>
        <h1 tabIndex={-1}>Settings</h1>
        <p>Settings need an admin key; this session has a read key.</p>
      </>
    );
  }
  // Managing keys is for keys without a tenant (a tenant key could otherwise issue itself a wider
  // one): the hub refuses it to a tenant's key, so the page does not offer it. Webhooks belong to a
  // tenant like accounts: a tenant's admin key manages its own.
  const hubWide = session.key.tenant_id === null;
  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      {hubWide && <ApiKeysSection />}
      <ConnectLinksSection session={session} />
      <WebhooksSection />
      <SeatPricesSection />
    </>
  );
}
