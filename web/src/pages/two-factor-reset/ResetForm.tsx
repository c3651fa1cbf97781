/**
 * The reset request's form: the account's email and password (a code is sent to the inbox on
 * request, once the password is checked), the emailed code and a new selfie holding the ID document;
 * the KYC set when the server asks for it. Everything goes up in one multipart request, with a progress bar.
 */
import type { ResetOpenedAnswer } from '../../../../src/contracts/two-factor-reset.ts';
import { PasswordField, SubmitButton, TextField } from '../../components/Fields.tsx';
import { PhotoInput } from '../../components/kyc/PhotoInput.tsx';
import { SELFIE_WITH_DOCUMENT_GUIDANCE } from '../../components/kyc/photos.ts';
import { UploadProgress } from '../../components/kyc/UploadProgress.tsx';
import { ErrorMessage, StatusMessage } from '../../components/Messages.tsx';
import { KycSetFields } from './KycSetFields.tsx';
import { useResetRequest } from './useResetRequest.ts';

interface ResetFormProps {
  initialEmail: string;
  onSubmitted: (answer: ResetOpenedAnswer) => void;
}

export function ResetForm({ initialEmail, onSubmitted }: ResetFormProps) {
  const request = useResetRequest(initialEmail, onSubmitted);
  const { bind, code, kyc, problem, errorId, errorFor } = request;

  return (
    <form ref={request.form} onSubmit={request.submit} noValidate aria-busy={request.busy} className="kyc-form reset-form">
      <div data-field="email">
        <TextField label="Email" type="email" {...bind('email')} autoComplete="username" autoCapitalize="off" spellCheck={false} />
      </div>
      <div data-field="password">
        <PasswordField label="Password" {...bind('password')} autoComplete="current-password" />
      </div>
      <div className="inline-actions">
        <button type="button" className="button-secondary" onClick={code.send} disabled={code.sending} aria-busy={code.sending}>
          {code.sending ? 'Sending…' : code.sentTo ? 'Send another code' : 'Send me a code'}
        </button>
      </div>
      <StatusMessage>{code.sentTo ? 'A code is on its way to your inbox. Check it (and the spam folder), then enter the code below.' : ''}</StatusMessage>
      <div data-field="emailCode">
        <TextField
          label="Code from your email"
          hint="The code we send when you press “Send me a code”: it shows the inbox is yours."
          {...bind('emailCode')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={64}
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
          typeFixed={kyc.typeFixed}
          documents={kyc.documents}
          onDocument={kyc.setDocument}
          invalid={problem?.field ?? null}
          errorId={errorId}
        />
      ) : null}
      <ErrorMessage id={errorId}>{problem?.message}</ErrorMessage>
      <UploadProgress sent={request.sent} what="your request" />
      <SubmitButton busy={request.busy} label="Request the reset" busyLabel="Sending…" className="button-block" />
    </form>
  );
}
