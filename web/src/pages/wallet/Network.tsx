/**
 * The optional EVM JSON-RPC node: a URL the user enters (kept in localStorage), and the balance of
 * the Ethereum address read from it. Only the public address is sent.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { TextField } from '../../components/Fields.tsx';
import { ErrorMessage, StatusMessage } from '../../components/Messages.tsx';
import { networkFor, networkLabel } from '../../wallet/networks.ts';
import { checkRpcUrl, getBalance, getChainId } from '../../wallet/rpc.ts';
import { walletErrorMessage } from '../../wallet/messages.ts';
import { formatEther } from '../../wallet/units.ts';

interface RpcSettingsProps {
  url: string;
  onChange: (url: string) => void;
}

export function RpcSettings({ url, onChange }: RpcSettingsProps) {
  const [draft, setDraft] = useState(url);
  const [problem, setProblem] = useState('');
  const [saved, setSaved] = useState('');

  const save = (event: FormEvent) => {
    event.preventDefault();
    setSaved('');
    if (!draft.trim()) {
      onChange('');
      setProblem('');
      setSaved('No JSON-RPC node: balances and broadcasting are off.');
      return;
    }
    try {
      const checked = checkRpcUrl(draft);
      setDraft(checked);
      setProblem('');
      onChange(checked);
      setSaved('JSON-RPC URL saved in this browser.');
    } catch (failure) {
      setProblem(failure instanceof Error ? failure.message : 'Enter a valid URL.');
    }
  };

  return (
    <form onSubmit={save} noValidate>
      <ErrorMessage>{problem}</ErrorMessage>
      <TextField
        label="JSON-RPC URL"
        value={draft}
        onValueChange={(value) => {
          setDraft(value);
          setSaved('');
        }}
        hint="An Ethereum, Cronos or local EVM node, for the balance and for broadcasting. Saved in this browser only. It receives your public address and signed transactions, never your phrase or keys."
        placeholder="https://evm.cronos.org"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
      />
      <div className="actions">
        <button type="submit" className="button-secondary">
          Save URL
        </button>
        {url ? (
          <button
            type="button"
            className="button-link"
            onClick={() => {
              setDraft('');
              onChange('');
              setSaved('No JSON-RPC node: balances and broadcasting are off.');
            }}
          >
            Forget URL
          </button>
        ) : null}
      </div>
      {saved ? <StatusMessage>{saved}</StatusMessage> : null}
    </form>
  );
}

type BalanceState =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'loaded'; chainId: number; wei: bigint };

/** The address's balance on the configured node; `refreshKey` changes reload it (after a broadcast). */
export function Balance({ url, address, refreshKey }: { url: string; address: string; refreshKey: number }) {
  const [state, setState] = useState<BalanceState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setState({ kind: 'loading' });
    Promise.all([getChainId(url), getBalance(url, address)]).then(
      ([chainId, wei]) => {
        if (current) setState({ kind: 'loaded', chainId, wei });
      },
      (failure: unknown) => {
        if (current) setState({ kind: 'failed', message: walletErrorMessage(failure) });
      },
    );
    return () => {
      current = false;
    };
  }, [url, address, refreshKey, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  return (
    <div className="wallet-balance">
      {state.kind === 'loading' ? <StatusMessage>Reading the balance…</StatusMessage> : null}
      {state.kind === 'failed' ? <ErrorMessage>{state.message}</ErrorMessage> : null}
      {state.kind === 'loaded' ? (
        <dl className="summary">
          <div>
            <dt>Balance</dt>
            <dd data-testid="eth-balance">
              {formatEther(state.wei)} {networkFor(state.chainId)?.symbol ?? 'ETH'}
            </dd>
          </div>
          <div>
            <dt>Network</dt>
            <dd data-testid="rpc-network">{networkLabel(state.chainId)}</dd>
          </div>
        </dl>
      ) : null}
      <button type="button" className="button-secondary button-small" onClick={reload} disabled={state.kind === 'loading'}>
        Refresh balance
      </button>
    </div>
  );
}
