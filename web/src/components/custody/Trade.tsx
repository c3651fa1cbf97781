/**
 * "Buy or sell": choose what to pay with, what to receive and how much to pay; get a quote
 * (POST /api/quotes), which holds for 15 seconds; confirm it (POST /api/quotes/{id}/accept, with a
 * fresh Idempotency-Key per press). After a fill the balances and the history load again.
 */
import { useRef, useState, type FormEvent } from 'react';
import { isApiError, post } from '../../api.ts';
import { SelectField, SubmitButton } from '../Fields.tsx';
import { ErrorMessage, StatusMessage } from '../Messages.tsx';
import { focusSoon, useFocusRequest } from '../security/focus.ts';
import { useFailureHandler } from '../security/useSecurityData.ts';
import { formatAmount, isZero } from './format.ts';
import { DoneMessage } from './FormMessages.tsx';
import { idempotencyKey } from './idempotency.ts';
import { AmountField } from './MoneyFields.tsx';
import { payAmountProblem } from './pay-amount.ts';
import { holdQuote, QuoteView, type HeldQuote } from './QuoteView.tsx';
import type { AssetBalance, QuoteAnswer, TradeAnswer } from './types.ts';

const AMOUNT_ERROR_ID = 'trade-amount-error';

/** The asset chosen, if it is still on the list, else the first one `fallback` picks. */
export function pick(assets: readonly AssetBalance[], chosen: string, fallback: (asset: AssetBalance) => boolean): AssetBalance | undefined {
  return assets.find((a) => a.symbol === chosen) ?? assets.find(fallback) ?? assets[0];
}

const choicesOf = (assets: readonly AssetBalance[]) => assets.map((a) => ({ value: a.symbol, label: a.symbol }));

export function Trade({ assets, onTraded }: { assets: readonly AssetBalance[] | null; onTraded: () => void }) {
  const [heading, focusHeading] = useFocusRequest<HTMLHeadingElement>();
  return (
    <section className="panel trade" aria-labelledby="trade-heading" data-testid="trade">
      <h2 id="trade-heading" ref={heading} tabIndex={-1}>
        Buy or sell
      </h2>
      {assets === null ? (
        <StatusMessage>Loading the assets you can trade…</StatusMessage>
      ) : assets.length < 2 ? (
        <p>Trading needs at least two assets, and this installation has fewer.</p>
      ) : (
        <TradeForm assets={assets} onTraded={onTraded} onFocusLost={() => focusHeading({ onlyIfLost: true })} />
      )}
    </section>
  );
}

interface TradeFormProps {
  assets: readonly AssetBalance[];
  onTraded: () => void;
  /** The quote (and the button that had focus) is gone: the section's heading takes focus if nothing has it. */
  onFocusLost: () => void;
}

function TradeForm({ assets, onTraded, onFocusLost }: TradeFormProps) {
  const describe = useFailureHandler();
  const [chosenFrom, setChosenFrom] = useState('');
  const [chosenTo, setChosenTo] = useState('');
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState('');
  const [error, setError] = useState('');
  const [quote, setQuote] = useState<HeldQuote | null>(null);
  const [busy, setBusy] = useState<'quote' | 'confirm' | null>(null);
  const [filled, setFilled] = useState<TradeAnswer | null>(null);
  const amountInput = useRef<HTMLInputElement>(null);
  const [quoteHeading, focusQuote] = useFocusRequest<HTMLHeadingElement>();
  const [filledBox, focusFilled] = useFocusRequest<HTMLDivElement>();

  // Pay with what there is (the first asset with a balance); receive anything else.
  const from = pick(assets, chosenFrom, (a) => !isZero(a.available));
  const receivable = assets.filter((a) => a.symbol !== from?.symbol);
  const to = pick(receivable, chosenTo, () => true);

  /** Any change to what is asked makes the quote on screen the wrong one. */
  const changed = () => {
    setQuote(null);
    setAmountError('');
    setError('');
  };

  const requestQuote = async () => {
    if (busy || !from || !to) return;
    const problem = payAmountProblem(amount, from);
    if (problem) {
      setAmountError(problem);
      amountInput.current?.focus();
      return;
    }
    setBusy('quote');
    setError('');
    setAmountError('');
    setFilled(null);
    try {
      const answer = await post<QuoteAnswer>('/api/quotes', { from: from.symbol, to: to.symbol, amount: amount.trim() });
      setQuote(holdQuote(answer));
      focusQuote();
    } catch (failure) {
      setQuote(null);
      const message = describe(failure);
      if (isApiError(failure, 'invalid_amount') || isApiError(failure, 'insufficient_funds')) {
        setAmountError(message);
        focusSoon(() => amountInput.current, true);
      } else {
        setError(message);
        onFocusLost(); // "Get a new quote" may have had it
      }
    } finally {
      setBusy(null);
    }
  };

  const confirm = async () => {
    if (busy || !quote) return;
    setBusy('confirm');
    setError('');
    try {
      const trade = await post<TradeAnswer>(`/api/quotes/${encodeURIComponent(quote.answer.id)}/accept`, undefined, {
        'Idempotency-Key': idempotencyKey(),
      });
      setQuote(null);
      setFilled(trade);
      setAmount('');
      focusFilled();
      onTraded();
    } catch (failure) {
      if (isApiError(failure, 'quote_expired')) {
        setQuote((held) => held && { ...held, expired: true });
        return;
      }
      setQuote(null);
      const message = describe(failure);
      if (isApiError(failure, 'insufficient_funds')) {
        setAmountError(message);
        focusSoon(() => amountInput.current, true);
      } else {
        setError(message);
        onFocusLost();
      }
      // Used already, or no answer: it may have been filled, so show the balances as they are now.
      if (isApiError(failure, 'quote_used') || isApiError(failure, 'network_error')) onTraded();
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void requestQuote();
  };

  if (!from || !to) return null;
  return (
    <>
      <form onSubmit={submit} noValidate>
        <div className="trade-pair">
          <SelectField
            label="Pay with"
            value={from.symbol}
            choices={choicesOf(assets)}
            onValueChange={(symbol) => {
              // Choosing what is received as the payment swaps the two.
              if (symbol === to.symbol) setChosenTo(from.symbol);
              setChosenFrom(symbol);
              changed();
            }}
          />
          <SelectField
            label="Receive"
            value={to.symbol}
            choices={choicesOf(receivable)}
            onValueChange={(symbol) => {
              setChosenTo(symbol);
              changed();
            }}
          />
        </div>
        <div className="actions trade-swap">
          <button
            type="button"
            className="button-link"
            onClick={() => {
              setChosenFrom(to.symbol);
              setChosenTo(from.symbol);
              changed();
            }}
          >
            Swap: pay with {to.symbol}, receive {from.symbol}
          </button>
        </div>
        <AmountField
          label="Amount to pay"
          hint={`In ${from.symbol}. You have ${formatAmount(from.available)} ${from.symbol} available.`}
          value={amount}
          onValueChange={(value) => {
            setAmount(value);
            changed();
          }}
          inputRef={amountInput}
          errorId={amountError ? AMOUNT_ERROR_ID : undefined}
          after={
            isZero(from.available) ? null : (
              <button
                type="button"
                className="button-link trade-all"
                onClick={() => {
                  setAmount(from.available);
                  changed();
                }}
              >
                Pay all {formatAmount(from.available)} {from.symbol}
              </button>
            )
          }
        />
        <ErrorMessage id={AMOUNT_ERROR_ID}>{amountError}</ErrorMessage>
        {quote ? null : <SubmitButton busy={busy === 'quote'} label="Get a quote" busyLabel="Getting a quote…" />}
      </form>
      <ErrorMessage>{error}</ErrorMessage>
      {quote ? (
        <QuoteView
          quote={quote}
          confirming={busy === 'confirm'}
          renewing={busy === 'quote'}
          onConfirm={() => void confirm()}
          onRenew={() => void requestQuote()}
          headingRef={quoteHeading}
        />
      ) : null}
      {filled ? (
        <DoneMessage boxRef={filledBox} testId="trade-filled">
          Trade done. You paid {formatAmount(filled.amount)} {filled.from} and received {formatAmount(filled.receive)} {filled.to}.
        </DoneMessage>
      ) : null}
    </>
  );
}
