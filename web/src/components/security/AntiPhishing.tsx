/**
 * The anti-phishing code: a word of the user's choosing that starts every genuine Bastion email.
 * Setting, changing and removing it needs a fresh step-up and puts withdrawals on hold
 * (WITHDRAWAL_HOLD, from /api/app-info).
 */
import { useCallback, useId, useState, type FormEvent } from 'react';
import type { AntiPhishingBody } from '../../../../src/contracts/security-center.ts';
import { del, isApiError, put } from '../../api.ts';
import { SubmitButton, TextField } from '../Fields.tsx';
import { ErrorMessage, SuccessMessage } from '../Messages.tsx';
import { useStepUp } from '../StepUp.tsx';
import { useFocusRequest } from './focus.ts';
import { useFailureHandler } from './useSecurityData.ts';
import { useSecurityDurations } from '../../app-info.ts';

const VALID_CODE = /^[A-Za-z0-9_-]{4,20}$/;

export function AntiPhishing({ isSet, onChanged }: { isSet: boolean; onChanged: () => void }) {
  const { hold } = useSecurityDurations();
  const describe = useFailureHandler();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null);
  const [error, setError] = useState('');
  const [fieldError, setFieldError] = useState(false);
  const [done, setDone] = useState('');
  const errorId = useId();
  const [input, focusInput] = useFocusRequest<HTMLInputElement>();
  const [heading, focusHeading] = useFocusRequest<HTMLHeadingElement>();

  const stepUp = useStepUp(
    useCallback(
      (failure: unknown) => {
        const message = describe(failure);
        if (!message) return;
        const aboutField = isApiError(failure, 'invalid_anti_phishing_code') || isApiError(failure, 'invalid_request');
        setFieldError(aboutField);
        setError(message);
        if (aboutField) focusInput();
        else focusHeading({ onlyIfLost: true });
      },
      [describe, focusInput, focusHeading],
    ),
  );

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setDone('');
    const value = code.trim();
    if (!VALID_CODE.test(value)) {
      setFieldError(true);
      setError(value ? 'Use 4 to 20 letters, digits, _ or - (no spaces or other symbols).' : 'Enter an anti-phishing code.');
      input.current?.focus();
      return;
    }
    setError('');
    setFieldError(false);
    void stepUp.run(async () => {
      setBusy('save');
      try {
        await put('/api/me/anti-phishing-code', { code: value } satisfies AntiPhishingBody);
        setCode('');
        setDone(`Your anti-phishing code is saved. Every email from Bastion now starts with “Anti-phishing code: ${value}”. Withdrawals are on hold for ${hold}.`);
        onChanged();
        focusHeading({ onlyIfLost: true });
      } finally {
        setBusy(null);
      }
    });
  };

  const remove = () => {
    if (busy) return;
    setDone('');
    setError('');
    setFieldError(false);
    void stepUp.run(async () => {
      setBusy('remove');
      try {
        await del('/api/me/anti-phishing-code');
        setDone(`Your anti-phishing code is removed; Bastion emails no longer show one. Withdrawals are on hold for ${hold}.`);
        onChanged();
        // The Remove button goes with the code.
        focusHeading();
      } finally {
        setBusy(null);
      }
    });
  };

  return (
    <section className="panel" id="anti-phishing">
      <h2 ref={heading} tabIndex={-1}>
        Anti-phishing code
      </h2>
      <p>
        Choose a word only you know. Every genuine email from Bastion starts with it, so an email without it is not from us.
      </p>
      <p className="sc-state">
        Status: <strong>{isSet ? 'Set' : 'Not set'}</strong>
      </p>
      <p className="muted small">For your safety, withdrawals are on hold for {hold} after the code is set, changed or removed.</p>
      {stepUp.prompt}
      <form onSubmit={save} noValidate aria-busy={busy === 'save'}>
        <TextField
          label="Anti-phishing code"
          hint={`4–20 letters, digits, _ or -.${isSet ? ' Saving a new code replaces the current one.' : ''}`}
          value={code}
          onValueChange={setCode}
          inputRef={input}
          errorId={fieldError && error ? errorId : undefined}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          maxLength={64}
        />
        <ErrorMessage id={errorId}>{error}</ErrorMessage>
        <SuccessMessage>{done}</SuccessMessage>
        <div className="actions">
          <SubmitButton busy={busy === 'save'} label="Save code" busyLabel="Saving…" disabled={stepUp.asking} />
          {isSet ? (
            <button type="button" className="button-secondary" onClick={remove} disabled={stepUp.asking} aria-disabled={busy === 'remove' ? true : undefined}>
              {busy === 'remove' ? 'Removing…' : 'Remove code'}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
