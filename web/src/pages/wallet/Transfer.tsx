/**
 * Build and sign an EIP-1559 transfer of the native coin (ETH, CRO) in the browser, show the
 * signed raw transaction, and broadcast it when a JSON-RPC node is configured.
 */
import { useId, useState, type FormEvent } from 'react';
import { TextField } from '../../components/Fields.tsx';
import { ErrorMessage, StatusMessage, SuccessMessage } from '../../components/Messages.tsx';
import { checksumEthAddress, signEip1559Transaction, type SignedTransaction } from '../../wallet/lib.ts';
import { walletErrorMessage } from '../../wallet/messages.ts';
import { NETWORKS, TRANSFER_GAS, networkFor, networkLabel } from '../../wallet/networks.ts';
import { getChainId, getFeeSuggestion, getTransactionCount, sendRawTransaction } from '../../wallet/rpc.ts';
import { AmountError, formatEther, formatGwei, parseEther, parseGwei, parseWhole } from '../../wallet/units.ts';
import type { UnlockedWallet } from '../../wallet/unlocked.ts';
import { Output } from './parts.tsx';

interface Form {
  chainId: number;
  to: string;
  amount: string;
  nonce: string;
  gas: string;
  maxFeeGwei: string;
  priorityFeeGwei: string;
}

interface Signed {
  tx: SignedTransaction;
  chainId: number;
  to: string;
  value: bigint;
  nonce: bigint;
  maxNetworkFee: bigint;
}

const DEFAULT_NETWORK = NETWORKS[0] ?? { chainId: 1, maxFeeGwei: '30', priorityFeeGwei: '1.5' };

interface TransferProps {
  wallet: UnlockedWallet;
  rpcUrl: string;
  /** After a broadcast: the balance is stale. */
  onBroadcast: () => void;
}

export function Transfer({ wallet, rpcUrl, onBroadcast }: TransferProps) {
  const id = useId();
  const [form, setForm] = useState<Form>({
    chainId: DEFAULT_NETWORK.chainId,
    to: '',
    amount: '',
    nonce: '0',
    gas: TRANSFER_GAS,
    maxFeeGwei: DEFAULT_NETWORK.maxFeeGwei,
    priorityFeeGwei: DEFAULT_NETWORK.priorityFeeGwei,
  });
  const [signed, setSigned] = useState<Signed | null>(null);
  const [error, setError] = useState('');
  const [filling, setFilling] = useState(false);
  const [filled, setFilled] = useState('');
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState('');
  const [sendError, setSendError] = useState('');
  const symbol = networkFor(form.chainId)?.symbol ?? 'ETH';

  const update = (changes: Partial<Form>) => {
    setForm((old) => ({ ...old, ...changes }));
    setSigned(null);
    setSent('');
    setSendError('');
    setFilled('');
  };

  const chooseNetwork = (chainId: number) => {
    const network = networkFor(chainId);
    update({ chainId, ...(network ? { maxFeeGwei: network.maxFeeGwei, priorityFeeGwei: network.priorityFeeGwei } : {}) });
  };

  const fillFromNetwork = async () => {
    setFilling(true);
    setError('');
    setFilled('');
    try {
      const [chainId, nonce, fees] = await Promise.all([
        getChainId(rpcUrl),
        getTransactionCount(rpcUrl, wallet.eth.address),
        getFeeSuggestion(rpcUrl),
      ]);
      update({
        chainId,
        nonce: nonce.toString(),
        maxFeeGwei: formatGwei(fees.maxFeePerGas),
        priorityFeeGwei: formatGwei(fees.maxPriorityFeePerGas),
      });
      setFilled(`Nonce and fees read from ${networkLabel(chainId)}.`);
    } catch (failure) {
      setError(walletErrorMessage(failure));
    } finally {
      setFilling(false);
    }
  };

  const sign = (event: FormEvent) => {
    event.preventDefault();
    setSigned(null);
    setSent('');
    setSendError('');
    try {
      if (!form.to.trim()) throw new AmountError('Enter the recipient address.');
      let to: string;
      try {
        to = checksumEthAddress(form.to.trim());
      } catch (failure) {
        throw new AmountError(`The recipient is not a valid Ethereum address${/checksum/.test(String((failure as Error).message)) ? ' (its mixed-case checksum is wrong)' : ''}.`);
      }
      const value = parseEther(form.amount, 'The amount');
      if (value === 0n) throw new AmountError('Enter an amount above zero.');
      const nonce = parseWhole(form.nonce, 'The nonce');
      const gas = parseWhole(form.gas, 'The gas limit');
      if (gas < 21000n) throw new AmountError('The gas limit must be at least 21000.');
      const maxFeePerGas = parseGwei(form.maxFeeGwei, 'The max fee');
      const maxPriorityFeePerGas = parseGwei(form.priorityFeeGwei, 'The priority fee');
      if (maxPriorityFeePerGas > maxFeePerGas) throw new AmountError('The priority fee cannot be higher than the max fee.');
      const tx = signEip1559Transaction(wallet.seed, { chainId: form.chainId, nonce, gas, maxFeePerGas, maxPriorityFeePerGas, to, value });
      setSigned({ tx, chainId: form.chainId, to, value, nonce, maxNetworkFee: gas * maxFeePerGas });
      setError('');
    } catch (failure) {
      setError(walletErrorMessage(failure));
    }
  };

  const broadcast = async () => {
    if (!signed) return;
    setSending(true);
    setSendError('');
    setSent('');
    try {
      const nodeChain = await getChainId(rpcUrl);
      if (nodeChain !== signed.chainId) {
        throw new AmountError(
          `The JSON-RPC node is on ${networkLabel(nodeChain)}, but this transaction is for ${networkLabel(signed.chainId)}. Nothing was sent.`,
        );
      }
      const hash = await sendRawTransaction(rpcUrl, signed.tx.rawTransaction);
      setSent(hash);
      // The next transfer from this address needs the next nonce.
      setForm((old) => ({ ...old, nonce: (signed.nonce + 1n).toString() }));
      onBroadcast();
    } catch (failure) {
      setSendError(walletErrorMessage(failure));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <form onSubmit={sign} noValidate>
        <ErrorMessage>{error}</ErrorMessage>
        <div className="field">
          <label htmlFor={`${id}-chain`}>Network</label>
          <select id={`${id}-chain`} value={form.chainId} onChange={(event) => chooseNetwork(Number(event.target.value))}>
            {NETWORKS.map((network) => (
              <option key={network.chainId} value={network.chainId}>
                {networkLabel(network.chainId)}
              </option>
            ))}
            {networkFor(form.chainId) ? null : <option value={form.chainId}>{networkLabel(form.chainId)}</option>}
          </select>
        </div>
        <TextField
          label="Recipient address"
          value={form.to}
          onValueChange={(to) => update({ to })}
          placeholder="0x…"
          autoComplete="off"
          spellCheck={false}
          className="mono"
        />
        <TextField label={`Amount (${symbol})`} value={form.amount} onValueChange={(amount) => update({ amount })} inputMode="decimal" autoComplete="off" placeholder="0.1" />
        <fieldset className="choices wallet-fees">
          <legend>Nonce and network fees</legend>
          {rpcUrl ? (
            <div className="actions">
              <button type="button" className="button-secondary button-small" onClick={fillFromNetwork} disabled={filling} aria-busy={filling}>
                {filling ? 'Reading from the network…' : 'Fill from the network'}
              </button>
            </div>
          ) : null}
          {filled ? <StatusMessage>{filled}</StatusMessage> : null}
          <div className="wallet-fee-grid">
            <TextField label="Nonce" value={form.nonce} onValueChange={(nonce) => update({ nonce })} inputMode="numeric" autoComplete="off" />
            <TextField label="Gas limit" value={form.gas} onValueChange={(gas) => update({ gas })} inputMode="numeric" autoComplete="off" />
            <TextField
              label="Max fee per gas (gwei)"
              value={form.maxFeeGwei}
              onValueChange={(maxFeeGwei) => update({ maxFeeGwei })}
              inputMode="decimal"
              autoComplete="off"
            />
            <TextField
              label="Priority fee per gas (gwei)"
              value={form.priorityFeeGwei}
              onValueChange={(priorityFeeGwei) => update({ priorityFeeGwei })}
              inputMode="decimal"
              autoComplete="off"
            />
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit">Sign transfer</button>
        </div>
      </form>

      {signed ? (
        <div className="wallet-signed" data-testid="signed-transfer">
          <h3>Signed transfer</h3>
          <dl className="summary">
            <div>
              <dt>Send</dt>
              <dd>
                {formatEther(signed.value)} {networkFor(signed.chainId)?.symbol ?? 'ETH'}
              </dd>
            </div>
            <div>
              <dt>To</dt>
              <dd className="mono">{signed.to}</dd>
            </div>
            <div>
              <dt>Network</dt>
              <dd>{networkLabel(signed.chainId)}</dd>
            </div>
            <div>
              <dt>Highest possible fee</dt>
              <dd>
                {formatEther(signed.maxNetworkFee)} {networkFor(signed.chainId)?.symbol ?? 'ETH'}
              </dd>
            </div>
            <div>
              <dt>Transaction hash</dt>
              <dd className="mono" data-testid="transaction-hash">
                {signed.tx.hash}
              </dd>
            </div>
          </dl>
          <Output label="Signed transaction (ready to broadcast)" value={signed.tx.rawTransaction} testId="signed-transaction" copyLabel="Copy signed transaction" rows={5} />
          {rpcUrl && !sent ? (
            <div className="actions">
              <SubmitLike busy={sending} onClick={broadcast} />
            </div>
          ) : rpcUrl ? null : (
            <p className="small muted">
              Set a JSON-RPC URL above to broadcast from here, or submit the signed transaction with any node or block explorer.
            </p>
          )}
          <ErrorMessage>{sendError}</ErrorMessage>
          {sent ? (
            <SuccessMessage>
              Transaction sent. Hash: <span className="mono" data-testid="broadcast-hash">{sent}</span>
            </SuccessMessage>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

function SubmitLike({ busy, onClick }: { busy: boolean; onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} disabled={busy} aria-busy={busy}>
      {busy ? 'Broadcasting…' : 'Broadcast transaction'}
    </button>
  );
}
