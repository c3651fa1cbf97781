/**
 * /wallet: the DeFi Wallet. Reachable without a Bastion account. The wallet code (and the crypto
 * libraries it bundles) loads only when this page is opened.
 */
import { lazy, Suspense } from 'react';
import { StatusMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';

const WalletApp = lazy(() => import('./wallet/WalletApp.tsx'));

export function WalletPage() {
  return (
    <Suspense
      fallback={
        <Page title="DeFi Wallet">
          <StatusMessage>Loading the wallet…</StatusMessage>
        </Page>
      }
    >
      <WalletApp />
    </Suspense>
  );
}
