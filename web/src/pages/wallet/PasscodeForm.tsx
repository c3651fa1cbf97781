/** Choose the local passcode (typed twice) that encrypts the recovery phrase on this device. */
import { useState, type FormEvent } from 'react';
import { PasswordField, SubmitButton } from '../../components/Fields.tsx';
import { ErrorMessage } from '../../components/Messages.tsx';

export const MIN_PASSCODE_LENGTH = 8;

interface PasscodeFormProps {
  submitLabel: string;
  busyLabel: string;
  /** Encrypts and stores the wallet; a thrown error's message is shown by the caller's onError. */
  onSubmit: (passcode: string) => Promise<void>;
  error: string;
  onBack?: () => void;
}

export function PasscodeForm({ submitLabel, busyLabel, onSubmit, error, onBack }: PasscodeFormProps) {
  const [passcode, setPasscode] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (passcode.length < MIN_PASSCODE_LENGTH) {
      setProblem(`Choose a passcode of at least ${MIN_PASSCODE_LENGTH} characters.`);
      return;
    }
    if (passcode !== again) {
      setProblem('The two passcodes are not the same. Type the same passcode twice.');
      return;
    }
    setProblem('');
    setBusy(true);
    try {
      await onSubmit(passcode);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <p>
        The passcode unlocks the wallet on this device only. It is never sent anywhere, and nobody can reset it: if you forget it, remove the
        wallet and restore it from your recovery phrase.
      </p>
      <ErrorMessage>{problem || error}</ErrorMessage>
      <PasswordField
        label="Passcode"
        value={passcode}
        onValueChange={setPasscode}
        hint={`At least ${MIN_PASSCODE_LENGTH} characters.`}
        autoComplete="new-password"
        required
      />
      <PasswordField label="Passcode again" value={again} onValueChange={setAgain} autoComplete="new-password" required />
      <SubmitButton busy={busy} label={submitLabel} busyLabel={busyLabel} className="button-block" />
      {onBack ? (
        <p className="links">
          <button type="button" className="button-link" onClick={onBack} disabled={busy}>
            Cancel
          </button>
        </p>
      ) : null}
    </form>
  );
}
