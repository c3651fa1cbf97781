/**
 * /wallet — the non-custodial DeFi Wallet, separate from the Bastion account (no sign-in, no
 * /api call). Create or restore a wallet, keep it encrypted in this browser's IndexedDB, unlock it
 * with a local passcode; it locks itself after 5 minutes without activity.
 *
 * Keys never leave the device: the recovery phrase, the passcode, the seed and the private keys
 * stay in this tab's memory. The only requests the wallet makes go to the JSON-RPC node the user
 * chose, with public data (an address, a signed transaction).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorMessage, StatusMessage, SuccessMessage } from '../../components/Messages.tsx';
import { Page } from '../../components/Page.tsx';
import { IDLE_LOCK_MS, useIdleLock } from '../../wallet/idle.ts';
import { walletErrorMessage } from '../../wallet/messages.ts';
import { loadWallet, type StoredWallet } from '../../wallet/storage.ts';
import { forgetWallet, type UnlockedWallet } from '../../wallet/unlocked.ts';
import '../../wallet/wallet.css';
import { CreateWallet } from './CreateWallet.tsx';
import { RemoveWallet } from './RemoveWallet.tsx';
import { RestoreWallet } from './RestoreWallet.tsx';
import { UnlockWallet } from './UnlockWallet.tsx';
import { WalletHome } from './WalletHome.tsx';

type View =
  | { kind: 'loading' }
  | { kind: 'broken'; message: string }
  | { kind: 'welcome'; notice: string }
  | { kind: 'create' }
  | { kind: 'restore' }
  | { kind: 'locked'; stored: StoredWallet; notice: string }
  | { kind: 'unlocked'; stored: StoredWallet; wallet: UnlockedWallet; notice: string };

const IDLE_MINUTES = Math.round(IDLE_LOCK_MS / 60_000);

export default function WalletApp() {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const unlocked = useRef<UnlockedWallet | null>(null);

  /** Every change of view forgets the seed of a wallet that is no longer shown. */
  const show = useCallback((next: View) => {
    const keep = next.kind === 'unlocked' ? next.wallet : null;
    if (unlocked.current && unlocked.current !== keep) forgetWallet(unlocked.current);
    unlocked.current = keep;
    setView(next);
  }, []);

  useEffect(() => () => forgetWallet(unlocked.current), []);

  useEffect(() => {
    let current = true;
    loadWallet().then(
      (stored) => {
        if (current) show(stored ? { kind: 'locked', stored, notice: '' } : { kind: 'welcome', notice: '' });
      },
      (failure: unknown) => {
        if (current) show({ kind: 'broken', message: walletErrorMessage(failure) });
      },
    );
    return () => {
      current = false;
    };
  }, [attempt, show]);

  const lock = useCallback(
    (notice: string) => {
      setView((old) => {
        if (old.kind !== 'unlocked') return old;
        forgetWallet(old.wallet);
        unlocked.current = null;
        return { kind: 'locked', stored: old.stored, notice };
      });
    },
    [],
  );

  useIdleLock(view.kind === 'unlocked', () => lock(`The wallet locked itself after ${IDLE_MINUTES} minutes without activity.`));

  const removed = () => show({ kind: 'welcome', notice: 'The wallet was removed from this device.' });
  const opened = (notice: string) => (stored: StoredWallet, wallet: UnlockedWallet) => show({ kind: 'unlocked', stored, wallet, notice });

  switch (view.kind) {
    case 'loading':
      return (
        <WalletPageFrame key="loading" title="DeFi Wallet">
          <StatusMessage>Opening the wallet…</StatusMessage>
        </WalletPageFrame>
      );
    case 'broken':
      return (
        <WalletPageFrame key="broken" title="DeFi Wallet">
          <ErrorMessage>{view.message}</ErrorMessage>
          <div className="actions">
            <button type="button" onClick={() => (setView({ kind: 'loading' }), setAttempt((n) => n + 1))}>
              Try again
            </button>
          </div>
          <RemoveWallet onRemoved={removed} />
        </WalletPageFrame>
      );
    case 'welcome':
      return (
        <WalletPageFrame
          key="welcome"
          title="DeFi Wallet"
          intro={
            <p>
              A wallet for Ethereum, Cronos and Bitcoin that lives only in this browser, separate from your Bastion account. Your recovery
              phrase, passcode and keys never leave this device.
            </p>
          }
        >
          <SuccessMessage>{view.notice}</SuccessMessage>
          <div className="wallet-choices">
            <button type="button" className="button-block" onClick={() => show({ kind: 'create' })}>
              Create a new wallet
            </button>
            <button type="button" className="button-secondary button-block" onClick={() => show({ kind: 'restore' })}>
              Restore a wallet from its recovery phrase
            </button>
          </div>
        </WalletPageFrame>
      );
    case 'create':
      return (
        <WalletPageFrame key="create" title="Create a wallet">
          <CreateWallet onCreated={opened('Your new wallet is ready. Keep your recovery phrase safe.')} onCancel={() => show({ kind: 'welcome', notice: '' })} />
        </WalletPageFrame>
      );
    case 'restore':
      return (
        <WalletPageFrame key="restore" title="Restore a wallet">
          <RestoreWallet onRestored={opened('Your wallet is restored on this device.')} onCancel={() => show({ kind: 'welcome', notice: '' })} />
        </WalletPageFrame>
      );
    case 'locked':
      return (
        <WalletPageFrame key="locked" title="Unlock your wallet" intro={<p>Enter the passcode you chose for the wallet on this device.</p>}>
          <StatusMessage>{view.notice}</StatusMessage>
          <UnlockWallet stored={view.stored} onUnlocked={(wallet) => show({ kind: 'unlocked', stored: view.stored, wallet, notice: '' })} />
          <section className="section" aria-labelledby="wallet-forgot">
            <h2 id="wallet-forgot">Forgot the passcode?</h2>
            <p className="muted">Remove the wallet from this device, then restore it with your recovery phrase and choose a new passcode.</p>
            <RemoveWallet onRemoved={removed} />
          </section>
        </WalletPageFrame>
      );
    case 'unlocked':
      return (
        <WalletPageFrame
          key="unlocked"
          title="Your wallet"
          wide
          intro={<p>Unlocked on this device. It locks itself after {IDLE_MINUTES} minutes without activity.</p>}
        >
          <WalletHome wallet={view.wallet} notice={view.notice} onLock={() => lock('The wallet is locked.')} onRemoved={removed} />
        </WalletPageFrame>
      );
  }
}

function WalletPageFrame(props: Parameters<typeof Page>[0]) {
  return (
    <div className="wallet" translate="no">
      <Page {...props} />
    </div>
  );
}
