/**
 * The link from the verification email (/verify-email?token=…): says what verifying does and verifies
 * only when the button is pressed (POST /api/auth/verify-email), never on load: a mail scanner that
 * opens links must not verify an address for whoever signed up with it. The browser that presses it
 * becomes a device the account knows.
 */
import type { VerifyEmailBody } from '../../../src/contracts/registration.ts';
import { post } from '../api.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { ResendVerification } from '../components/ResendVerification.tsx';
import { LinkActionPage } from '../components/security/LinkPage.tsx';
import { useLinkAction } from '../components/security/useLinkAction.ts';
import { Link } from '../router.tsx';
import '../components/security/security.css';

const verify = (token: string) => post('/api/auth/verify-email', { token } satisfies VerifyEmailBody);

export function VerifyEmailPage() {
  const link = useLinkAction(verify, 'This verification link is incomplete. Open the link from the email again, or ask for a new one.');

  return (
    <LinkActionPage
      link={link}
      titles={{ ask: 'Verify your email address?', done: 'Email verified', failed: 'Verification failed' }}
      question={
        <>
          <p>Someone created a Bastion account with this email address. Verify it only if that was you.</p>
          <ul className="next-steps">
            <li>Verifying lets the account sign in with the password chosen when it was created.</li>
            <li>This browser becomes a device the account knows, so signing in here needs no extra confirmation.</li>
            <li>If you did not create an account, do nothing: without verification nobody can sign in to it.</li>
          </ul>
        </>
      }
      button="Verify my email address"
      working="Verifying…"
      done={
        <>
          <SuccessMessage>Your email address is verified.</SuccessMessage>
          <p>
            <Link to="/login?verified=1" className="button-like">
              Sign in
            </Link>
          </p>
        </>
      }
      advice={
        <section className="section">
          <h2>Get a new verification email</h2>
          <ResendVerification />
        </section>
      }
    />
  );
}
