/** After "Lock my account" in settings: what the lock does and how to undo it. */
import { Page } from '../components/Page.tsx';
import { SuccessMessage } from '../components/Messages.tsx';
import { Link } from '../router.tsx';
import '../components/security/security.css';
import { useSecurityDurations } from '../app-info.ts';

export function AccountLockedPage() {
  const { cooldown } = useSecurityDurations();
  return (
    <Page title="Your account is locked">
      <SuccessMessage>You locked your account. Every session has ended, including this one.</SuccessMessage>
      <h2>While it is locked</h2>
      <ul className="next-steps">
        <li>Nobody can sign in, not even with your password and a code.</li>
        <li>Withdrawals and changes to security settings are blocked.</li>
        <li>We emailed you to confirm the lock.</li>
      </ul>
      <h2>Unlocking it</h2>
      <p>
        After {cooldown}, sign in with your password and your passkey or a code from your authenticator app. We will email you a link and a code to confirm it is
        you; your account unlocks once you confirm. Emailed and backup codes cannot unlock it.
      </p>
      <p className="muted">If you think someone knows your password, reset it once you are back in, and check your login activity.</p>
      <p className="links">
        <Link to="/login">Sign in</Link>
      </p>
    </Page>
  );
}
