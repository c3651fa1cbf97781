/**
 * The reset request's form: the account's email (a code is sent to it on request), the password,
 * the emailed code and a new selfie holding the ID document; the KYC set when the server asks for it.
 * Everything goes up in one multipart request, with a progress bar.
 */
import { useId } from 'react';
import type { ResetOpenedAnswer } from '../../../../src/contracts/two-factor-reset.ts';
import { PasswordField, SubmitButton, TextField } from '../../components/Fields.tsx';
import { PhotoInput } from '../../components/kyc/PhotoInput.tsx';
import { SELFIE_WITH_DOCUMENT_GUIDANCE } from '../../components/kyc/photos.ts';
import { ErrorMessage, StatusMessage } from '../../components/Messages.tsx';
import { KycSetFields } from './KycSetFields.tsx';
import { useResetRequest } from './useResetRequest.ts';

interface ResetFormProps {
  initialEmail: string;
  onSubmitted: (answer: ResetOpenedAnswer) => void;
}

export function ResetForm({ initialEmail, onSubmitted }: ResetFormProps) {
  const request = useResetRequest(initialEmail, onSubmitted);
  const { credentials, code, kyc, problem, errorId, errorFor, sent } = request;
  const progressId = useId();
  const percent = Math.round((sent ?? 0) * 100);

  return (
    <form ref={request.form} onSubmit={request.submit} noValidate aria-busy={request.busy} className="kyc-form reset-form">
      <div data-field="email">
        <TextField
          label="Email"
          type="email"
          value={credentials.email}
          onValueChange={request.setEmail}
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          errorId={errorFor('email')}
        />
      </div>
      <div className="inline-actions">
        <button type="button" className="button-secondary" onClick={code.send} disabled={code.sending} aria-busy={code.sending}>
          {code.sending ? 'Sending…' : code.sentTo ? 'Send another code' : 'Send me a code'}
        </button>
      </div>
      <StatusMessage>
        {code.sentTo ? 'If the address has an account, a code is on its way. Check your inbox (and the spam folder), then enter the code below.' : ''}
      </StatusMessage>
      <div data-field="password">
        <PasswordField
          label="Password"
          value={credentials.password}
          onValueChange={request.setPassword}
          autoComplete="current-password"
          errorId={errorFor('password')}
        />
      </div>
      <div data-field="emailCode">
        <TextField
          label="Code from your email"
          hint="The code we send when you press “Send me a code”: it shows the inbox is yours."
          value={credentials.emailCode}
          onValueChange={request.setEmailCode}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={64}
          errorId={errorFor('emailCode')}
        />
      </div>
      <div data-field="selfie">
        <PhotoInput
          item="selfie"
          label="Selfie holding your ID document"
          guidance={SELFIE_WITH_DOCUMENT_GUIDANCE}
          capture="user"
          file={request.selfie}
          onFile={request.changeSelfie}
          errorId={errorFor('selfie')}
        />
      </div>
      {kyc ? (
        <KycSetFields
          details={kyc.details}
          onDetails={kyc.changeDetails}
          documents={kyc.documents}
          onDocument={kyc.setDocument}
          invalid={problem?.field ?? null}
          errorId={errorId}
        />
      ) : null}
      <ErrorMessage id={errorId}>{problem?.message}</ErrorMessage>
      {sent !== null ? (
        <div className="kyc-progress">
          <label htmlFor={progressId}>{sent < 1 ? `Sending your request: ${percent}%` : 'Checking your photos…'}</label>
          <progress id={progressId} max={100} value={percent}>
            {percent}%
          </progress>
        </div>
      ) : null}
      <SubmitButton busy={request.busy} label="Request the reset" busyLabel="Sending…" className="button-block" />
    </form>
  );
}
