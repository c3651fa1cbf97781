/**
 * Whitelist-only withdrawals (PUT /api/withdrawal-addresses/whitelist-only): on, withdrawals go
 * only to usable addresses of the book. Turning it on is immediate; turning it off needs a fresh
 * step-up and takes effect later (`whitelistOffAt`), which turning it back on cancels.
 */
import { useCallback, useState } from 'react';
import { put } from '../../api.ts';
import { ErrorMessage, StatusMessage } from '../Messages.tsx';
import { localTime } from '../security/format.ts';
import { useFailureHandler } from '../security/useSecurityData.ts';
import { useStepUp } from '../StepUp.tsx';
import type { AddressBookBody } from './types.ts';

export function WhitelistOnly({ book, onChanged }: { book: AddressBookBody; onChanged: () => void }) {
  const describe = useFailureHandler();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const stepUp = useStepUp(useCallback((failure: unknown) => setError(describe(failure)), [describe]));
  const { whitelistOnly: on, whitelistOffAt: offAt } = book;

  const turn = (enabled: boolean) => {
    if (busy) return;
    setError('');
    void stepUp.run(async () => {
      setBusy(true);
      try {
        await put('/api/withdrawal-addresses/whitelist-only', { enabled });
        onChanged();
      } finally {
        setBusy(false);
      }
    });
  };

  return (
    <div className="whitelist" data-testid="whitelist-only">
      <h3>Whitelist-only withdrawals</h3>
      <p className="sc-state">
        Status: <strong data-testid="whitelist-state">{on ? 'On' : 'Off'}</strong>
      </p>
      <p className="small">
        {on
          ? 'Withdrawals can go only to the usable addresses of your address book.'
          : 'Withdrawals can also go to an address typed in when you withdraw. Turn this on so that only the addresses you confirmed here can receive them.'}
      </p>
      {offAt ? <StatusMessage>Whitelist-only turns off at {localTime(offAt)}; turn it back on to cancel.</StatusMessage> : null}
      {on && !offAt ? (
        <p className="muted small">Turning it off takes effect only after a waiting period, so someone who gets into your account cannot turn it off and withdraw at once.</p>
      ) : null}
      {stepUp.prompt}
      <ErrorMessage>{error}</ErrorMessage>
      <div className="actions">
        {on && !offAt ? (
          <button type="button" className="button-secondary" onClick={() => turn(false)} disabled={stepUp.asking} aria-disabled={busy ? true : undefined}>
            {busy ? 'Turning off…' : 'Turn whitelist-only off'}
          </button>
        ) : (
          <button type="button" onClick={() => turn(true)} aria-disabled={busy ? true : undefined}>
            {busy ? 'Turning on…' : offAt ? 'Turn it back on' : 'Turn whitelist-only on'}
          </button>
        )}
      </div>
    </div>
  );
}
