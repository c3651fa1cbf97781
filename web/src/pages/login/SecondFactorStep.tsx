/**
 * Sign-in, step 2: the second factor, chosen from the ones the server offers (the shared factor
 * picker), and help for a lost one (LostFactorHelp).
 */
import type { NextStep } from '../../../../src/contracts/login.ts';
import { FactorPicker, type FactorFields } from '../../components/factors/FactorPicker.tsx';
import type { Factor } from '../../components/factors/factors.ts';
import { SubmitButton } from '../../components/Fields.tsx';
import { ErrorMessage, StatusMessage } from '../../components/Messages.tsx';
import { Link } from '../../router.tsx';
import { LostFactorHelp } from './LostFactorHelp.tsx';
import { useSecondFactorStep } from './useSecondFactorStep.ts';

const FIELDS: FactorFields<Factor> = {
  passkey: 'Your browser will ask for your passkey: use Face ID, your fingerprint, your screen lock or your security key.',
  totp: { label: 'Authentication code', hint: 'Open your authenticator app and enter the 6-digit code it shows for Bastion.' },
  email_code: { label: 'Authentication code', hint: 'Enter the 6-digit code from the email.' },
  backup_code: { label: 'Backup code', hint: 'Enter one of the backup codes you saved. Each code works once.' },
};

interface Props {
  email: string;
  flow: string;
  next: readonly NextStep[];
  onDeviceToConfirm: () => void;
  backToStart: (message: string) => void;
}

export function SecondFactorStep({ email, ...options }: Props) {
  const step = useSecondFactorStep({ email, ...options });
  const { factor, errors } = step;
  const passkey = factor.method === 'passkey';

  /** From the lost-factor help: another method, with its code field focused when it has one ready. */
  const switchTo = (method: Factor) => {
    factor.choose(method);
    step.chosen();
    if (method === 'totp' || method === 'backup_code') errors.focus('code');
  };

  return (
    <form onSubmit={step.verify} noValidate aria-busy={step.busy}>
      <p className="muted">
        Signing in as <strong className="wrap">{email.trim()}</strong>
      </p>
      <FactorPicker
        methods={step.methods}
        factor={factor}
        fields={FIELDS}
        choice={{ legend: 'Choose how to confirm', name: 'method', onChoose: step.chosen }}
        inputRef={step.codeInput}
        errorId={errors.errorFor('code')}
        emailCode={step.emailCode}
      />
      <StatusMessage>{step.info}</StatusMessage>
      <ErrorMessage id={errors.errorId}>{errors.error}</ErrorMessage>
      <SubmitButton
        busy={step.busy}
        label={passkey ? 'Use your passkey' : 'Verify'}
        busyLabel={passkey ? 'Waiting for your passkey…' : 'Verifying…'}
        disabled={factor.method === 'email_code' && !step.emailCode.sent}
        className="button-block"
      />
      <p className="links">
        <button type="button" className="button-link" onClick={() => options.backToStart('')}>
          Start over
        </button>
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
      <LostFactorHelp email={email} methods={step.methods} current={factor.method} onUse={switchTo} />
    </form>
  );
}
