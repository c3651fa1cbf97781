/** "Remove wallet from this device": a warning, an explicit confirmation, then the vault is deleted. */
import { useState } from 'react';
import { Checkbox } from '../../components/Fields.tsx';
import { ErrorMessage } from '../../components/Messages.tsx';
import { walletErrorMessage } from '../../wallet/messages.ts';
import { removeWallet } from '../../wallet/storage.ts';

export function RemoveWallet({ onRemoved }: { onRemoved: () => void }) {
  const [asking, setAsking] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const remove = async () => {
    setBusy(true);
    setError('');
    try {
      await removeWallet();
      onRemoved();
    } catch (failure) {
      setBusy(false);
      setError(walletErrorMessage(failure));
    }
  };

  if (!asking) {
    return (
      <div className="actions">
        <button type="button" className="button-secondary button-danger" onClick={() => setAsking(true)}>
          Remove wallet from this device
        </button>
      </div>
    );
  }

  return (
    <div className="wallet-remove" data-testid="remove-confirmation">
      <div className="message message-warning" role="alert">
        <p>
          <strong>Without your recovery phrase, removing the wallet loses its funds for good.</strong>
        </p>
        <p>
          This deletes the encrypted wallet from this browser. The funds stay on the blockchain, and only your 12 (or 24) recovery words can
          bring them back. Nobody, not even Bastion, can recover them for you.
        </p>
      </div>
      <ErrorMessage>{error}</ErrorMessage>
      <Checkbox label="I have my recovery phrase written down, and I want to remove this wallet from this device." checked={understood} onCheckedChange={setUnderstood} />
      <div className="actions">
        <button type="button" className="button-danger" onClick={remove} disabled={!understood || busy}>
          {busy ? 'Removing…' : 'Remove wallet'}
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => {
            setAsking(false);
            setUnderstood(false);
          }}
          disabled={busy}
        >
          Keep the wallet
        </button>
      </div>
    </div>
  );
}
