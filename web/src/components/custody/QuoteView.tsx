/**
 * A quote while it holds: what is paid, the fee, what is received and the rate, with the seconds it
 * has left and "Confirm trade". Once the time is up (or the server says the quote expired) it says
 * so and offers "Get a new quote" instead.
 */
import { useEffect, useRef, type Ref } from 'react';
import { useNow } from '../../hooks.ts';
import { StatusMessage } from '../Messages.tsx';
import { Fact } from '../security/Fact.tsx';
import { focusSoon } from '../security/focus.ts';
import { feePercent, formatAmount } from './format.ts';
import type { QuoteAnswer } from './types.ts';

/** How long the server holds a quote (its `expiresAt` is trusted when this browser's clock agrees with it). */
export const QUOTE_SECONDS = 15;

/** A quote and when, on this browser's clock, it was received and runs out. */
export interface HeldQuote {
  answer: QuoteAnswer;
  receivedAt: number;
  deadline: number;
  /** The server answered quote_expired when it was accepted. */
  expired: boolean;
}

/**
 * When a quote runs out on this browser's clock: at its `expiresAt`, unless that is in the past or
 * further away than a quote can last (the clocks disagree), then QUOTE_SECONDS after it arrived.
 */
export function holdQuote(answer: QuoteAnswer, receivedAt = Date.now()): HeldQuote {
  const left = Date.parse(answer.expiresAt) - receivedAt;
  const deadline = receivedAt + (left > 0 && left <= QUOTE_SECONDS * 1000 + 2000 ? left : QUOTE_SECONDS * 1000);
  return { answer, receivedAt, deadline, expired: false };
}

interface QuoteViewProps {
  quote: HeldQuote;
  /** Accepting it is under way. */
  confirming: boolean;
  /** A new quote is being fetched. */
  renewing: boolean;
  onConfirm: () => void;
  onRenew: () => void;
  headingRef?: Ref<HTMLHeadingElement>;
}

export function QuoteView({ quote, confirming, renewing, onConfirm, onRenew, headingRef }: QuoteViewProps) {
  const now = useNow(250);
  const { answer } = quote;
  const msLeft = Math.max(0, quote.deadline - now);
  const secondsLeft = Math.ceil(msLeft / 1000);
  // While the accept request runs, its answer decides (the button must not vanish under it).
  const expired = quote.expired || (msLeft === 0 && !confirming);
  const renewButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // "Confirm trade" is gone: if it had focus, "Get a new quote" takes it.
    if (expired) focusSoon(() => renewButton.current);
  }, [expired]);

  const share = quote.deadline > quote.receivedAt ? msLeft / (quote.deadline - quote.receivedAt) : 0;

  return (
    <div className={expired ? 'quote quote-expired' : 'quote'} data-testid="quote" data-state={expired ? 'expired' : 'live'}>
      <h3 ref={headingRef} tabIndex={-1}>
        Your quote
      </h3>
      <dl className="summary">
        <Fact label="You pay, fee included" className="mono">
          {formatAmount(answer.amount)} {answer.from}
        </Fact>
        <Fact label={`Fee (${feePercent(answer.feeBps)})`} className="mono">
          {formatAmount(answer.fee)} {answer.from}
        </Fact>
        <Fact label="You receive" className="mono">
          <span data-testid="quote-receive">
            {formatAmount(answer.receive)} {answer.to}
          </span>
        </Fact>
        <Fact label="Rate, before the fee" className="mono">
          1 {answer.from} = {formatAmount(answer.rate)} {answer.to}
        </Fact>
      </dl>
      {expired ? (
        <>
          <StatusMessage>This price expired. Prices move quickly, so a quote holds for {QUOTE_SECONDS} seconds.</StatusMessage>
          <div className="actions">
            <button type="button" ref={renewButton} onClick={onRenew} aria-disabled={renewing ? true : undefined}>
              {renewing ? 'Getting a new quote…' : 'Get a new quote'}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="quote-countdown" role="timer" data-testid="quote-countdown" data-seconds={secondsLeft}>
            This price holds for <strong>{secondsLeft}</strong> {secondsLeft === 1 ? 'second' : 'seconds'}.
          </p>
          <div className="quote-timer" aria-hidden="true">
            <span style={{ width: `${Math.round(share * 100)}%` }} />
          </div>
          <div className="actions">
            <button type="button" onClick={onConfirm} aria-disabled={confirming ? true : undefined}>
              {confirming ? 'Confirming…' : 'Confirm trade'}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
