/**
 * How the owner unlocks a self-locked account, as items of a "What happens next" list: after the
 * cooldown, the password and a strong factor, then the emailed confirmation.
 */
import { useSecurityDurations } from '../../app-info.ts';

export function UnlockSteps() {
  const { cooldown } = useSecurityDurations();
  return (
    <>
      <li>
        After {cooldown}, sign in with your password and your passkey or a code from your authenticator app, then confirm from the email we send. Emailed and
        backup codes cannot unlock it.
      </li>
      <li>Once you are back in, change your password and check your login activity.</li>
    </>
  );
}
