/** Sign a text message with the Ethereum key (EIP-191 personal_sign), here in the browser. */
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/Messages.tsx';
import { signEthMessage } from '../../wallet/lib.ts';
import { walletErrorMessage } from '../../wallet/messages.ts';
import type { UnlockedWallet } from '../../wallet/unlocked.ts';
import { Output, TextAreaField } from './parts.tsx';

export function SignMessage({ wallet }: { wallet: UnlockedWallet }) {
  const [message, setMessage] = useState('');
  const [signed, setSigned] = useState<{ message: string; signature: string } | null>(null);
  const [error, setError] = useState('');

  const sign = (event: FormEvent) => {
    event.preventDefault();
    if (!message) {
      setError('Type the message to sign.');
      return;
    }
    try {
      setSigned({ message, signature: signEthMessage(wallet.seed, message) });
      setError('');
    } catch (failure) {
      setError(walletErrorMessage(failure));
    }
  };

  return (
    <form onSubmit={sign} noValidate>
      <ErrorMessage>{error}</ErrorMessage>
      <TextAreaField
        label="Message"
        value={message}
        onValueChange={(value) => {
          setMessage(value);
          setSigned(null);
        }}
        hint="Only sign messages you understand: a signature proves you control this address."
        rows={3}
      />
      <div className="actions">
        <button type="submit">Sign message</button>
      </div>
      {signed ? (
        <>
          <Output label="Signature (EIP-191)" value={signed.signature} testId="message-signature" copyLabel="Copy signature" />
          <p className="small muted">
            Signed by <span className="mono">{wallet.eth.address}</span>.
          </p>
        </>
      ) : null}
    </form>
  );
}
