/**
 * The "Lock my account" link from a security email (/lock-account?token=…): asks first, then
 * POST /api/auth/lock-account. No sign-in needed: the link itself is the proof.
 */
import type { LockFromEmailBody } from '../../../src/contracts/security-center.ts';
import { post } from '../api.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { LinkActionPage } from '../components/security/LinkPage.tsx';
import { UnlockSteps } from '../components/security/UnlockSteps.tsx';
import { useLinkAction } from '../components/security/useLinkAction.ts';
import { Link } from '../router.tsx';
import '../components/security/security.css';
import { useSecurityDurations } from '../app-info.ts';

const lockWith = (token: string) => post('/api/auth/lock-account', { token } satisfies LockFromEmailBody);

export function LockAccountPage() {
  const { cooldown } = useSecurityDurations();
  const link = useLinkAction(lockWith, 'This lock link is incomplete. Open the link from the email again.');

  return (
    <LinkActionPage
      link={link}
      titles={{ ask: 'Lock your account?', done: 'Account locked', failed: 'The account was not locked' }}
      question={
        <>
          <p>Lock your Bastion account if you did not do what the email told you about, or you think someone else can get in.</p>
          <ul className="next-steps">
            <li>Every session ends at once, on every device.</li>
            <li>Nobody can sign in, make withdrawals or change security settings while it is locked.</li>
            <li>After {cooldown} you can unlock it with your password, your passkey or authenticator app, and a confirmation from your email.</li>
          </ul>
        </>
      }
      button="Lock my account"
      working="Locking…"
      afterButton={
        <p className="links">
          <Link to="/login">Cancel and sign in</Link>
        </p>
      }
      done={
        <>
          <SuccessMessage>Your account is locked. Every session has ended and nobody can sign in.</SuccessMessage>
          <h2>What happens next</h2>
          <ul className="next-steps">
            <li>Withdrawals and security changes are blocked. We emailed you to confirm the lock.</li>
            <UnlockSteps />
          </ul>
        </>
      }
      advice={<p>If you still want to lock your account, use the link in a newer Bastion email, or sign in and lock it from your security settings.</p>}
    />
  );
}
