/**
 * The account's email address, and changing it: the new address (a fresh step-up first), then the
 * 6-digit code sent there. The current address is told too, with a link that cancels the change
 * (pages/CancelEmailChange.tsx). The answer to the first step never says whether the new address
 * belongs to another account.
 */
import { useCallback, useId, useState, type FormEvent } from 'react';
import type { ChangeEmailAnswer, ChangeEmailBody, ConfirmEmailBody, EmailChangedAnswer } from '../../../../src/contracts/email-change.ts';
import { isApiError, post } from '../../api.ts';
import { SubmitButton, TextField } from '../Fields.tsx';
import { ErrorMessage, SuccessMessage } from '../Messages.tsx';
import { useStepUp } from '../StepUp.tsx';
import { useFocusRequest } from './focus.ts';
import { useFailureHandler } from './useSecurityData.ts';
import { Later } from './When.tsx';

/** Closed (the address and the button), asking for the new address, or waiting for its code. */
type Step = { kind: 'closed' } | { kind: 'address' } | { kind: 'code'; sent: ChangeEmailAnswer };

/** Which field an error is about, if any. */
type Field = 'address' | 'code' | null;

export function EmailAddress({ email, onChanged }: { email: string; onChanged: () => void }) {
  const describe = useFailureHandler();
  const [step, setStep] = useState<Step>({ kind: 'closed' });
  const [newEmail, setNewEmail] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field: Field }>({ message: '', field: null });
  const [changed, setChanged] = useState<EmailChangedAnswer | null>(null);
  const errorId = useId();
  const [heading, focusHeading] = useFocusRequest<HTMLHeadingElement>();
  const [opener, focusOpener] = useFocusRequest<HTMLButtonElement>();
  const [addressInput, focusAddress] = useFocusRequest<HTMLInputElement>();
  const [codeInput, focusCode] = useFocusRequest<HTMLInputElement>();

  const fail = useCallback(
    (message: string, field: Field) => {
      setError({ message, field });
      if (field === 'address') focusAddress();
      else if (field === 'code') focusCode();
      else focusHeading({ onlyIfLost: true });
    },
    [focusAddress, focusCode, focusHeading],
  );

  const stepUp = useStepUp(
    useCallback(
      (failure: unknown) => {
        const message = describe(failure);
        if (!message) return;
        if (isApiError(failure, 'email_unavailable')) {
          // The pending change is gone: choose another address.
          setStep({ kind: 'address' });
          fail(message, 'address');
        } else if (isApiError(failure, 'invalid_code')) fail(message, 'code');
        else if (isApiError(failure, 'invalid_request')) fail(message, step.kind === 'code' ? 'code' : 'address');
        else fail(message, null);
      },
      [describe, fail, step.kind],
    ),
  );

  const open = () => {
    setChanged(null);
    setError({ message: '', field: null });
    setNewEmail('');
    setStep({ kind: 'address' });
    focusAddress();
  };

  const close = () => {
    setError({ message: '', field: null });
    setCode('');
    setStep({ kind: 'closed' });
    focusOpener();
  };

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const address = newEmail.trim();
    if (!address) return fail('Enter the new email address.', 'address');
    if (address.toLowerCase() === email.toLowerCase()) return fail('That is already your email address. Enter a different one.', 'address');
    setError({ message: '', field: null });
    void stepUp.run(async () => {
      setBusy(true);
      try {
        const sent = await post<ChangeEmailAnswer>('/api/me/email', { newEmail: address } satisfies ChangeEmailBody);
        setCode('');
        setStep({ kind: 'code', sent });
        focusCode();
      } finally {
        setBusy(false);
      }
    });
  };

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const entered = code.replace(/\s+/g, '');
    if (!entered) return fail('Enter the 6-digit code we sent to the new address.', 'code');
    setError({ message: '', field: null });
    void stepUp.run(async () => {
      setBusy(true);
      try {
        const answer = await post<EmailChangedAnswer>('/api/me/email/confirm', { code: entered } satisfies ConfirmEmailBody);
        setChanged(answer);
        setCode('');
        setNewEmail('');
        setStep({ kind: 'closed' });
        onChanged();
        // The form is gone: carry on from the heading, under which the success message is.
        focusHeading();
      } finally {
        setBusy(false);
      }
    });
  };

  const fieldError = (field: Field) => (error.field === field && error.message ? errorId : undefined);
  /** Under each step's field: the error, its submit button and Cancel. */
  const endOfForm = (label: string, busyLabel: string) => (
    <>
      <ErrorMessage id={errorId}>{error.message}</ErrorMessage>
      <div className="actions">
        <SubmitButton busy={busy} label={label} busyLabel={busyLabel} disabled={stepUp.asking} />
        <button type="button" className="button-secondary" onClick={close} disabled={busy || stepUp.asking}>
          Cancel
        </button>
      </div>
    </>
  );

  return (
    <section className="panel" id="email-address" aria-labelledby="email-address-heading">
      <h2 id="email-address-heading" ref={heading} tabIndex={-1}>
        Email address
      </h2>
      <p className="sc-state">
        Current address:{' '}
        <strong className="wrap" data-testid="email-address">
          {email}
        </strong>
      </p>
      <p className="muted small">Sign-in alerts, codes and security emails go here. Changing it puts withdrawals on hold, as after every security change.</p>
      <SuccessMessage>
        {changed ? (
          <>
            Your email address is now <strong className="wrap">{changed.email}</strong>.
            {changed.withdrawalsHeldUntil ? (
              <>
                {' '}
                Withdrawals are held until <Later iso={changed.withdrawalsHeldUntil} /> as after every security change.
              </>
            ) : null}
          </>
        ) : null}
      </SuccessMessage>
      {stepUp.prompt}
      {step.kind === 'closed' ? (
        <>
          <ErrorMessage>{error.message}</ErrorMessage>
          <button ref={opener} type="button" className="button-secondary" onClick={open}>
            Change email address
          </button>
        </>
      ) : null}
      {step.kind === 'address' ? (
        <form onSubmit={send} noValidate aria-busy={busy}>
          <TextField
            label="New email address"
            hint="We send a 6-digit code there to check it is yours."
            type="email"
            value={newEmail}
            onValueChange={setNewEmail}
            inputRef={addressInput}
            errorId={fieldError('address')}
            autoComplete="email"
            autoCapitalize="off"
            spellCheck={false}
            maxLength={254}
          />
          {endOfForm('Send a code to the new address', 'Sending…')}
        </form>
      ) : null}
      {step.kind === 'code' ? (
        <form onSubmit={confirm} noValidate aria-busy={busy}>
          <SuccessMessage>
            We sent a 6-digit code to <strong className="wrap">{step.sent.newEmail}</strong>. Enter it to finish. We also told your current address, which can
            cancel the change.
          </SuccessMessage>
          <TextField
            label="Code from the new address"
            hint={
              <>
                It works until <Later iso={step.sent.expiresAt} />.
              </>
            }
            value={code}
            onValueChange={setCode}
            inputRef={codeInput}
            errorId={fieldError('code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={12}
          />
          {endOfForm('Confirm the new address', 'Confirming…')}
        </form>
      ) : null}
    </section>
  );
}
