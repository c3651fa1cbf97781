/**
 * The withdraw form (POST /api/withdrawals): the asset, where it goes (a usable address of the
 * address book, or, with whitelist-only off, another address typed in), and the amount that should
 * arrive; the standard fee and the daily limit beside it. A fresh strong step-up is asked for when
 * the server wants it, and the request is sent again with the same Idempotency-Key: one key per
 * submission, kept for a retry while its outcome is unknown, so a retry never withdraws twice.
 * Then the emailed link confirms it.
 */
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { spokenDuration } from '../../durations.ts';
import { isApiError, post } from '../../api.ts';
import type { ErrorCode } from '../../../../src/errors/codes.ts';
import { SelectField, SubmitButton } from '../Fields.tsx';
import { localTime } from '../security/format.ts';
import { useFocusRequest } from '../security/focus.ts';
import { useFailureHandler } from '../security/useSecurityData.ts';
import { useStepUp } from '../StepUp.tsx';
import { formatAmount, formatUsd, isZero, networkName, shortAddress } from './format.ts';
import { idempotencyKey } from './idempotency.ts';
import { AddressField, AmountField } from './MoneyFields.tsx';
import { amountProblem } from './pay-amount.ts';
import { pick } from './Trade.tsx';
import type { AddressBookBody, AssetBalance, WithdrawalBody, WithdrawalEntry, WithdrawalNetwork, WithdrawalsBody } from './types.ts';
import { DoneMessage, useFormProblem } from './FormMessages.tsx';
import { addressStatus, destinationWords, readableTime } from './withdrawal-words.ts';

/** The destination choice for an address typed in. */
const OTHER = 'other';

/** The refusals that are about the amount, and those about where it goes. */
const AMOUNT_CODES: ErrorCode[] = ['invalid_amount', 'insufficient_funds', 'withdrawal_limit_exceeded'];
const DESTINATION_CODES: ErrorCode[] = ['invalid_address', 'address_not_whitelisted', 'address_not_usable'];
/** No answer, or the first attempt still running: the outcome is unknown, so a retry keeps the key. */
const UNKNOWN_OUTCOME: ('network_error' | ErrorCode)[] = ['network_error', 'idempotency_in_progress', 'step_up_required'];

type Field = 'amount' | 'destination';
const fieldOf = (failure: unknown): Field | null =>
  AMOUNT_CODES.some((code) => isApiError(failure, code)) ? 'amount' : DESTINATION_CODES.some((code) => isApiError(failure, code)) ? 'destination' : null;

export interface WithdrawFormProps {
  assets: readonly AssetBalance[];
  book: AddressBookBody;
  /** Withdrawals are stopped (or it is not known yet whether they are): the form cannot be used. */
  disabled: boolean;
  limit: WithdrawalsBody['limit'] | null;
  /** A withdrawal was asked for (or may have been): balances and lists load again. */
  onRequested: () => void;
  /** The server said withdrawals are stopped: whether they are loads again. */
  onLocked: () => void;
}

export function WithdrawForm({ assets, book, disabled, limit, onRequested, onLocked }: WithdrawFormProps) {
  const describe = useFailureHandler();
  const [chosenAsset, setChosenAsset] = useState('');
  const [chosenDestination, setChosenDestination] = useState('');
  const [typed, setTyped] = useState('');
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [requested, setRequested] = useState<WithdrawalEntry | null>(null);
  /** The Idempotency-Key of the submission whose outcome is not known yet. */
  const pendingKey = useRef<string | null>(null);
  const amountInput = useRef<HTMLInputElement>(null);
  const destinationSelect = useRef<HTMLSelectElement>(null);
  const addressInput = useRef<HTMLInputElement>(null);
  const [requestedBox, focusRequested] = useFocusRequest<HTMLDivElement>();

  const asset = pick(assets, chosenAsset, (a) => !isZero(a.available));
  const entries = book.addresses.filter((entry) => entry.asset === asset?.symbol);
  const usable = entries.filter((entry) => entry.status === 'usable');
  const waiting = entries.filter((entry) => entry.status !== 'usable');
  const choices = [
    ...usable.map((entry) => ({ value: entry.id, label: `${entry.label} · ${shortAddress(entry.address)}` })),
    ...(book.whitelistOnly ? [] : [{ value: OTHER, label: 'Another address' }]),
  ];
  const destination = choices.find((choice) => choice.value === chosenDestination)?.value ?? choices[0]?.value ?? '';

  const problem = useFormProblem<Field>((field) => (field === 'amount' ? amountInput : destination === OTHER ? addressInput : destinationSelect).current);
  const { show } = problem;

  /** Anything changed: a new submission, with a new key. */
  const changed = () => {
    pendingKey.current = null;
    problem.clear();
  };
  /** A field's onValueChange: keep the value, and it is a new submission. */
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    changed();
  };

  const stepUp = useStepUp(
    useCallback(
      (failure: unknown) => {
        const message = describe(failure);
        if (!message) return;
        const details = isApiError(failure) ? failure.body : {};
        show(fieldOf(failure), readableTime(readableTime(message, details.until), details.usableFrom));
        if (isApiError(failure, 'withdrawals_locked')) onLocked();
        // It may have gone through: show the balances and the list as they are now.
        if (isApiError(failure, 'network_error') || isApiError(failure, 'idempotency_in_progress')) onRequested();
      },
      [describe, show, onLocked, onRequested],
    ),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy || disabled || !asset) return;
    const other = destination === OTHER;
    if (!destination) return show(null, `There is no usable ${asset.symbol} address in your address book yet.`);
    if (other && !typed.trim()) return show('destination', `Enter the ${networkName(asset.network)} address to send to.`);
    const text = amount.trim();
    const wrong = amountProblem(text, asset, 'Amount', 'to withdraw');
    if (wrong) return show('amount', wrong);
    show(null, '');
    setRequested(null);
    const body: WithdrawalBody = {
      asset: asset.symbol,
      network: asset.network as WithdrawalNetwork,
      amount: text,
      ...(other ? { address: typed.trim() } : { addressId: destination }),
    };
    const key = (pendingKey.current ??= idempotencyKey());
    // A step-up runs this again: the same submission, so the same key.
    void stepUp.run(async () => {
      setBusy(true);
      try {
        const entry = await post<WithdrawalEntry>('/api/withdrawals', body, { 'Idempotency-Key': key });
        pendingKey.current = null;
        setRequested(entry);
        setAmount('');
        focusRequested();
        onRequested();
      } catch (failure) {
        if (!UNKNOWN_OUTCOME.some((code) => isApiError(failure, code))) pendingKey.current = null;
        throw failure;
      } finally {
        setBusy(false);
      }
    });
  };

  if (!asset) return null;
  const network = networkName(asset.network);
  return (
    <>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <fieldset className="withdraw-fields" disabled={disabled}>
          <legend className="visually-hidden">Withdrawal</legend>
          <SelectField
            label="Asset"
            value={asset.symbol}
            choices={assets.map((a) => ({ value: a.symbol, label: `${a.symbol} · ${a.name}` }))}
            onValueChange={(symbol) => {
              setChosenAsset(symbol);
              setChosenDestination('');
              changed();
            }}
          />
          {choices.length > 0 ? (
            <SelectField
              label="Send to"
              hint={book.whitelistOnly ? 'Whitelist-only withdrawals are on: only the usable addresses of your address book.' : undefined}
              value={destination}
              choices={choices}
              selectRef={destinationSelect}
              errorId={destination !== OTHER ? problem.errorIdFor('destination') : undefined}
              onValueChange={edit(setChosenDestination)}
            />
          ) : (
            <p data-testid="withdraw-no-address">
              You have no usable {asset.symbol} address yet, and whitelist-only withdrawals are on. Add one to your address book below: it can be used after its email
              confirmation and waiting period.
            </p>
          )}
          {waiting.length > 0 ? (
            <ul className="withdraw-waiting small" aria-label={`${asset.symbol} addresses not usable yet`} data-testid="withdraw-waiting">
              {waiting.map((entry) => (
                <li key={entry.id}>
                  <strong>{entry.label}</strong> is not usable yet. {addressStatus(entry).words}
                </li>
              ))}
            </ul>
          ) : null}
          {destination === OTHER ? (
            <AddressField
              label="Address"
              hint={`A ${network} address. Check every character: a withdrawal cannot be called back.`}
              value={typed}
              onValueChange={edit(setTyped)}
              inputRef={addressInput}
              errorId={problem.errorIdFor('destination')}
            />
          ) : null}
          {problem.messageFor('destination')}
          <AmountField
            label="Amount"
            hint={`In ${asset.symbol}, what should arrive. You have ${formatAmount(asset.available)} ${asset.symbol} available.`}
            value={amount}
            onValueChange={edit(setAmount)}
            inputRef={amountInput}
            errorId={problem.errorIdFor('amount')}
          />
          {problem.messageFor('amount')}
          <p className="small withdraw-fee" data-testid="withdraw-fee">
            Fee: {formatAmount(asset.withdrawalFee)} {asset.symbol}, added on top of the amount. The smallest withdrawal is {formatAmount(asset.minWithdrawal)}{' '}
            {asset.symbol}.
          </p>
          {limit ? (
            <p className="small withdraw-limit" data-testid="withdraw-limit">
              Daily limit: {formatUsd(limit.dailyUsd)}. Left for the next 24 hours: {formatUsd(limit.remainingUsd)}.
            </p>
          ) : null}
          <SubmitButton busy={busy} label="Withdraw" busyLabel="Asking…" disabled={disabled || stepUp.asking} />
        </fieldset>
      </form>
      {stepUp.prompt}
      {problem.messageFor(null)}
      {requested ? (
        <DoneMessage boxRef={requestedBox} testId="withdrawal-requested">
          <strong>Check your email.</strong> We emailed you a link to confirm this withdrawal of {formatAmount(requested.amount)} {requested.asset} to{' '}
          {destinationWords(requested)}; it works for {spokenDuration(Date.parse(requested.confirmBy) - Date.parse(requested.createdAt))}, until{' '}
          {localTime(requested.confirmBy)}. The funds are held meanwhile: {formatAmount(requested.total)} {requested.asset}, the amount and a fee of{' '}
          {formatAmount(requested.fee)} {requested.asset}.
        </DoneMessage>
      ) : null}
    </>
  );
}
