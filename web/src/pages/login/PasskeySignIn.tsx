/** The first step's other way in: "Sign in with a passkey", where this browser and the server can use passkeys. */
import { ErrorMessage } from '../../components/Messages.tsx';
import { passkeysSupported } from '../../passkeys.ts';
import type { PasskeySignIn as PasskeySignInState } from './usePasskeySignIn.ts';

interface Props {
  passkey: PasskeySignInState;
  /** The password is being checked. */
  busy: boolean;
  onStart: () => void;
}

export function PasskeySignIn({ passkey, busy, onStart }: Props) {
  if (!passkeysSupported()) return null;
  return (
    <div className="alternative">
      <p className="alternative-or">
        <span>or</span>
      </p>
      <button type="button" className="button-secondary button-block" onClick={onStart} aria-disabled={passkey.busy || busy ? true : undefined}>
        {passkey.busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
      </button>
      <ErrorMessage>{passkey.error}</ErrorMessage>
    </div>
  );
}
