/**
 * The unlock link from the "account locked" email (/unlock?token=…): shows what is locked and since
 * when (POST /api/auth/unlock/preview, which leaves the link usable) and unlocks only when the button
 * is pressed (POST /api/auth/unlock), so a mail scanner that opens the link lifts nothing.
 */
import type { UnlockBody, UnlockPreviewAnswer, UnlockPreviewBody } from '../../../src/contracts/recovery.ts';
import { post } from '../api.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { Fact, TimeFact } from '../components/security/Fact.tsx';
import { PreviewedLinkActionPage } from '../components/security/PreviewedLinkPage.tsx';
import { useLinkAction } from '../components/security/useLinkAction.ts';
import { Link } from '../router.tsx';
import '../components/security/security.css';

const preview = (token: string) => post<UnlockPreviewAnswer>('/api/auth/unlock/preview', { token } satisfies UnlockPreviewBody);
const unlock = (token: string) => post('/api/auth/unlock', { token } satisfies UnlockBody);

export function UnlockPage() {
  const link = useLinkAction(unlock, 'This unlock link is incomplete. Open the link from the email again.');

  return (
    <PreviewedLinkActionPage
      link={link}
      load={preview}
      loading="Looking up the lock…"
      titles={{ ask: 'Unlock your account?', done: 'Account unlocked', failed: 'Unlock failed' }}
      question={(lock) => (
        <>
          <p>Signing in with a password is locked after too many wrong passwords:</p>
          <dl className="summary" data-testid="lock">
            <Fact label="Account">{lock.email}</Fact>
            <TimeFact label="Locked since" iso={lock.lockedAt} />
            {lock.lockedUntil ? <TimeFact label="Ends by itself" iso={lock.lockedUntil} as="later" /> : <Fact label="Ends by itself">It has already ended</Fact>}
          </dl>
          <ul className="next-steps">
            <li>Unlocking lets you sign in again now, with your password and your second factor.</li>
            <li>More wrong passwords lock it again, for longer each time: unlocking does not start the count over.</li>
            <li>If the wrong passwords were not yours, someone is guessing your password: change it once you are signed in.</li>
          </ul>
        </>
      )}
      button="Unlock my account"
      working="Unlocking…"
      done={
        <>
          <SuccessMessage>Your account is unlocked. If you did not cause the lock, reset your password after you sign in.</SuccessMessage>
          <p>
            <Link to="/login?unlocked=1" className="button-like">
              Sign in
            </Link>
          </p>
        </>
      }
      advice={
        <p>
          Wait for the lock to end, or <Link to="/forgot-password">reset your password</Link>: a reset unlocks the account too.
        </p>
      }
    />
  );
}
