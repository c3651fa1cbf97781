/**
 * A question before an action that cannot be taken back (removing an address, cancelling a
 * withdrawal): the button that asks, then the question with "Yes" and "No". Focus goes to the
 * question when it opens, and back to the button when it closes without acting; Escape closes it.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { ErrorMessage } from '../Messages.tsx';
import { focusSoon } from '../security/focus.ts';
import { useFailureHandler } from '../security/useSecurityData.ts';

export interface Ask {
  asking: boolean;
  busy: boolean;
  error: string;
  open: () => void;
  close: () => void;
  yes: () => Promise<void>;
  /** The button that asks (focus returns to it). */
  trigger: RefObject<HTMLButtonElement | null>;
}

/** `action` runs on "Yes"; when it fails, the question stays open with the reason. */
export function useAskFirst(action: () => Promise<void>): Ask {
  const describe = useFailureHandler();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const trigger = useRef<HTMLButtonElement>(null);

  return {
    asking,
    busy,
    error,
    trigger,
    open: () => {
      setError('');
      setAsking(true);
    },
    close: () => {
      setAsking(false);
      focusSoon(() => trigger.current, true);
    },
    yes: async () => {
      if (busy) return;
      setBusy(true);
      setError('');
      try {
        await action();
        setAsking(false);
      } catch (failure) {
        setError(describe(failure));
      } finally {
        setBusy(false);
      }
    },
  };
}

interface AskFirstProps {
  ask: Ask;
  /** The button that opens the question: its words, and a fuller name for assistive technology. */
  button: string;
  buttonName: string;
  question: string;
  /** What the action does, under the question. */
  children: ReactNode;
  yes: string;
  working: string;
  no: string;
}

export function AskFirst({ ask, button, buttonName, question, children, yes, working, no }: AskFirstProps) {
  if (!ask.asking) {
    return (
      <div className="actions">
        <button ref={ask.trigger} type="button" className="button-secondary" onClick={ask.open}>
          {button}
          <span className="visually-hidden"> {buttonName}</span>
        </button>
      </div>
    );
  }
  return <Question ask={ask} question={question} yes={yes} working={working} no={no}>{children}</Question>;
}

function Question({ ask, question, children, yes, working, no }: Omit<AskFirstProps, 'button' | 'buttonName'>) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !ask.busy) {
      event.preventDefault();
      ask.close();
    }
  };

  return (
    <div className="sc-confirm" role="group" aria-labelledby={id} onKeyDown={closeOnEscape}>
      <h3 id={id} ref={heading} tabIndex={-1}>
        {question}
      </h3>
      {children}
      <ErrorMessage>{ask.error}</ErrorMessage>
      <div className="actions">
        <button type="button" className="button-danger" onClick={() => void ask.yes()} aria-disabled={ask.busy ? true : undefined}>
          {ask.busy ? working : yes}
        </button>
        <button type="button" className="button-secondary" onClick={ask.close} disabled={ask.busy}>
          {no}
        </button>
      </div>
    </div>
  );
}
