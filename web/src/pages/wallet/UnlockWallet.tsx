/** Unlock the wallet stored on this device with its passcode (decrypted here, in this tab). */
import { useState, type FormEvent } from 'react';
import { PasswordField, SubmitButton } from '../../components/Fields.tsx';
import { ErrorMessage } from '../../components/Messages.tsx';
import { decryptMnemonic } from '../../wallet/lib.ts';
import { walletErrorMessage } from '../../wallet/messages.ts';
import type { StoredWallet } from '../../wallet/storage.ts';
import { openWallet, type UnlockedWallet } from '../../wallet/unlocked.ts';

export function UnlockWallet({ stored, onUnlocked }: { stored: StoredWallet; onUnlocked: (wallet: UnlockedWallet) => void }) {
  const [passcode, setPasscode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!passcode) {
      setError('Enter your passcode.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const phrase = await decryptMnemonic(stored.vault, passcode);
      const wallet = await openWallet(phrase);
      setPasscode('');
      onUnlocked(wallet);
    } catch (failure) {
      setBusy(false);
      setError(walletErrorMessage(failure));
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <ErrorMessage>{error}</ErrorMessage>
      <PasswordField label="Passcode" value={passcode} onValueChange={setPasscode} autoComplete="current-password" required />
      <SubmitButton busy={busy} label="Unlock" busyLabel="Unlocking…" className="button-block" />
    </form>
  );
}
