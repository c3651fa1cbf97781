/**
 * The link from "Confirm a sign-in from a new device" (/confirm-device?token=…): shows the sign-in it
 * would confirm (device, place, IP, time: POST /api/auth/login/confirm-device/preview, which leaves the
 * link usable) and confirms only when the button is pressed, so a mail scanner that opens the link
 * confirms nothing. In the browser that is signing in, confirming completes the sign-in here;
 * anywhere else, the browser that is signing in notices (it polls) and continues by itself.
 */
import type { ConfirmDeviceAnswer, ConfirmDeviceBody, ConfirmDevicePreviewAnswer, ConfirmDevicePreviewBody } from '../../../src/contracts/login.ts';
import { post } from '../api.ts';
import { SuccessMessage } from '../components/Messages.tsx';
import { Fact, TimeFact } from '../components/security/Fact.tsx';
import { PreviewedLinkActionPage } from '../components/security/PreviewedLinkPage.tsx';
import { useLinkAction } from '../components/security/useLinkAction.ts';
import { navigate } from '../router.tsx';
import { afterSignIn } from '../return-to.ts';
import { useSession } from '../session.tsx';
import '../components/security/security.css';

const preview = (token: string) => post<ConfirmDevicePreviewAnswer>('/api/auth/login/confirm-device/preview', { token } satisfies ConfirmDevicePreviewBody);

export function ConfirmDevicePage() {
  const { refresh } = useSession();
  const link = useLinkAction(async (token) => {
    const answer = await post<ConfirmDeviceAnswer>('/api/auth/login/confirm-device', { token } satisfies ConfirmDeviceBody);
    if ('user' in answer) {
      // This is the browser that was signing in: it is signed in now.
      await refresh().catch(() => null);
      navigate(afterSignIn(), { replace: true });
    }
  }, 'This confirmation link is incomplete. Open the link from the email again.');

  return (
    <PreviewedLinkActionPage
      link={link}
      load={preview}
      loading="Looking up the sign-in…"
      titles={{ ask: 'Was this you signing in?', done: 'Device confirmed', failed: 'Device not confirmed' }}
      question={(attempt) => (
        <>
          <p>Someone with your password and second factor is signing in to your Bastion account from a device we do not know:</p>
          <dl className="summary" data-testid="sign-in-attempt">
            <Fact label="Device">{attempt.device}</Fact>
            <Fact label="Location">{attempt.location}</Fact>
            <Fact label="IP address">
              <span className="mono">{attempt.ip}</span>
            </Fact>
            <TimeFact label="Started" iso={attempt.at} />
          </dl>
          <ul className="next-steps">
            <li>
              {attempt.thisBrowser
                ? 'Confirming signs you in here, in this browser.'
                : 'Confirming lets that device finish signing in: the browser where you are signing in continues by itself.'}
            </li>
            <li>If this was not you, do not confirm. Use “Lock my account” in the same email at once, then reset your password.</li>
          </ul>
        </>
      )}
      button="Yes, this was me — confirm"
      working="Confirming…"
      done={
        <>
          <SuccessMessage>Device confirmed. Go back to the browser where you were signing in; it will continue by itself.</SuccessMessage>
          <p className="muted">
            If you were not signing in, someone else has your password and authenticator: use “Lock my account” in the same email at once.
          </p>
        </>
      }
      advice={<p>Links work once and for 20 minutes. Sign in again to get a new email, or enter the code from the email where you are signing in.</p>}
    />
  );
}
