/**
 * Development installations only (GET /api/app-info `faucet`): credits test money to the account
 * (POST /api/dev/faucet) so balances, trades and history can be tried without a real deposit.
 */
import { useState, type FormEvent } from 'react';
import { post } from '../../api.ts';
import { SelectField, SubmitButton } from '../Fields.tsx';
import { ErrorMessage, SuccessMessage } from '../Messages.tsx';
import { useFailureHandler } from '../security/useSecurityData.ts';
import { formatAmount } from './format.ts';
import type { AssetBalance, FaucetAnswer } from './types.ts';

export function Faucet({ assets, onCredited }: { assets: readonly AssetBalance[]; onCredited: () => void }) {
  const describe = useFailureHandler();
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [credited, setCredited] = useState('');
  const asset = chosen || assets[0]?.symbol || '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !asset) return;
    setBusy(true);
    setError('');
    setCredited('');
    try {
      const answer = await post<FaucetAnswer>('/api/dev/faucet', { asset });
      setCredited(`Added ${formatAmount(answer.amount)} ${answer.asset} of test money.`);
      onCredited();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  if (assets.length === 0) return null;
  return (
    <aside className="faucet" aria-labelledby="faucet-heading" data-testid="faucet">
      <h3 id="faucet-heading">Test money (development)</h3>
      <p className="muted small">This installation is for development: it can add pretend money to your balance. It is not real money.</p>
      <form className="faucet-form" onSubmit={submit} noValidate>
        <SelectField
          label="Test asset"
          value={asset}
          onValueChange={(value) => {
            setChosen(value);
            setCredited('');
          }}
          choices={assets.map((a) => ({ value: a.symbol, label: `${a.symbol} · ${a.name}` }))}
        />
        <SubmitButton busy={busy} label={`Get test ${asset}`} busyLabel={`Adding test ${asset}…`} className="button-secondary" />
      </form>
      <ErrorMessage>{error}</ErrorMessage>
      <SuccessMessage>{credited}</SuccessMessage>
    </aside>
  );
}
