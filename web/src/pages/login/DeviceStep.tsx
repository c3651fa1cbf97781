/** Sign-in from a new device: confirm it with the emailed code, or by opening the emailed link (anywhere). */
import { SubmitButton, TextField } from '../../components/Fields.tsx';
import { ErrorMessage, StatusMessage } from '../../components/Messages.tsx';
import { useDeviceStep } from './useDeviceStep.ts';

interface Props {
  flow: string;
  backToStart: (message: string) => void;
}

export function DeviceStep({ flow, backToStart }: Props) {
  const step = useDeviceStep({ flow, backToStart });
  const { errors } = step;

  return (
    <form onSubmit={step.confirm} noValidate aria-busy={step.busy}>
      <StatusMessage>We emailed you a link and a code to confirm this device.</StatusMessage>
      <p>
        Open the link in the email on any device, or enter the code from it here. Once the link is opened, this page continues by itself.
      </p>
      <TextField
        label="Verification code"
        hint="The 6-digit code from the email “Confirm a sign-in from a new device”. It is valid for 20 minutes."
        inputRef={step.codeInput}
        errorId={errors.errorFor('code')}
        value={step.code}
        onValueChange={step.setCode}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={32}
      />
      <ErrorMessage id={errors.errorId}>{errors.error}</ErrorMessage>
      <SubmitButton busy={step.busy} label="Confirm" busyLabel="Confirming…" className="button-block" />
      <p className="links">
        <button type="button" className="button-link" onClick={() => backToStart('')}>
          Start over
        </button>
      </p>
    </form>
  );
}
