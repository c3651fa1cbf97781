/**
 * "Cancel — this wasn't me" from any email about a 2FA reset request (/2fa-reset/cancel?token=…):
 * says what happens, then POST /api/auth/2fa-reset/cancel cancels the request and locks the account.
 * Nothing happens on load (mail scanners open links); no sign-in needed: the link is the proof.
 */
import { useState } from 'react';
import type { ResetCancelAnswer } from '../../../src/contracts/two-factor-reset.ts';
import { post } from '../api.ts';
import { useSecurityDurations } from '../app-info.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { LinkActionPage } from '../components/security/LinkPage.tsx';
import '../components/security/security.css';
import { UnlockSteps } from '../components/security/UnlockSteps.tsx';
import { useCancelLink } from '../components/security/useLinkAction.ts';
import type { ResetCancelBody } from '../components/two-factor-reset/types.ts';

const cancelWith = (token: string) => post<ResetCancelAnswer>('/api/auth/2fa-reset/cancel', { token } satisfies ResetCancelBody);

export function TwoFactorResetCancelPage() {
  const { cooldown } = useSecurityDurations();
  const [answer, setAnswer] = useState<ResetCancelAnswer>({ status: 'cancelled', requestCancelled: true, frozen: true, staffLocked: false });
  const { requestCancelled, staffLocked } = answer;
  const link = useCancelLink(cancelWith, setAnswer);

  return (
    <LinkActionPage
      link={link}
      titles={{ ask: 'Cancel the 2FA reset?', done: 'Reset cancelled, account locked', failed: 'Nothing was cancelled' }}
      question={
        <>
          <p>
            Someone asked to reset the second factors of your Bastion account: once approved, it would remove your passkeys and authenticator app, so whoever
            asked could sign in with your password and set up their own. If it wasn't you, stop it now.
          </p>
          <ul className="next-steps">
            <li>The reset request is cancelled: your second factors stay as they are.</li>
            <li>Your account is locked: every session ends at once, and nobody can sign in, make withdrawals or change security settings.</li>
            <li>
              To unlock it: after {cooldown}, sign in with your password and your passkey or a code from your authenticator app — or contact support.
            </li>
          </ul>
          <p className="muted small">If you asked for the reset yourself, ignore this page: the button would stop your own request.</p>
        </>
      }
      button="Cancel the reset and lock my account"
      working="Cancelling…"
      done={
        <div data-testid="reset-cancelled" data-request-cancelled={requestCancelled ? 'true' : 'false'} data-staff-locked={staffLocked ? 'true' : 'false'}>
          <SuccessMessage>
            {staffLocked
              ? 'The reset had already been carried out. Every second factor set up since was removed and your account is locked until support unlocks it.'
              : requestCancelled
                ? 'The reset request is cancelled and your account is locked.'
                : 'The reset request had already closed (it was decided or cancelled), so there was nothing to cancel. Your account is locked all the same.'}
          </SuccessMessage>
          <h2>What happens next</h2>
          <ul className="next-steps">
            <li>Every session has ended, on every device. Nobody can sign in, make withdrawals or change security settings while it is locked.</li>
            {staffLocked ? <li>Contact support: they check who you are, then unlock the account so you can set up your second factors again.</li> : <UnlockSteps />}
            {!staffLocked && <li>If you have lost your second factor, or cannot unlock the account yourself, contact support.</li>}
          </ul>
        </div>
      }
      advice={<p>If you still think someone else asked for the reset, use the link in a newer email about it, or contact support.</p>}
    />
  );
}
