/**
 * Lost 2FA (/2fa-reset?email=…): what a reset involves, then the request — the password, a code
 * from the account's inbox and a new selfie holding the ID document (and the whole KYC set when the
 * identity is not verified yet). No sign-in: the user has lost the factor that would let them in.
 * Every address on file is emailed about the request, with a link that cancels it.
 */
import { useState } from 'react';
import type { ResetOpenedAnswer } from '../../../src/contracts/two-factor-reset.ts';
import { useResetDurations } from '../app-info.ts';
import '../components/kyc/kyc.css';
import { Page } from '../components/Page.tsx';
import { focusSoon, pageHeading } from '../components/security/focus.ts';
import '../components/security/security.css';
import '../components/two-factor-reset/reset.css';
import { Link, useQueryParam } from '../router.tsx';
import { ResetForm } from './two-factor-reset/ResetForm.tsx';
import { ResetSubmitted } from './two-factor-reset/ResetSubmitted.tsx';

function HowItWorks() {
  const { delay, hold } = useResetDurations();
  return (
    <section className="reset-how" aria-labelledby="reset-how-heading">
      <h2 id="reset-how-heading">How a reset works</h2>
      <ol className="next-steps">
        <li>Confirm it is your account: your password, a code we email you, and a new selfie of you holding your ID document.</li>
        <li>Our team compares the selfie with your verified identity. If your identity is not verified yet, we ask for your document’s details and photos too.</li>
        <li>
          Once it is approved we wait {delay}, then your second factors are removed and you set up a new one when you sign in. Withdrawals are held
          for {hold} after.
        </li>
        <li>
          We email every address on file for the account about the request, each with a “cancel — this wasn't me” link: if someone else asked, it stops the
          reset and locks the account.
        </li>
      </ol>
    </section>
  );
}

export function TwoFactorResetPage() {
  const email = useQueryParam('email');
  const [answer, setAnswer] = useState<ResetOpenedAnswer | null>(null);

  const submitted = (opened: ResetOpenedAnswer) => {
    setAnswer(opened);
    // The form is gone: start reading again from the heading, which now says it is sent.
    focusSoon(pageHeading, true);
  };

  return (
    <Page
      title={answer ? 'Reset requested' : 'Reset your second factor'}
      intro={
        answer ? undefined : (
          <p>
            Lost your phone or security key? If you can still sign in with a backup code, another passkey or your authenticator app, do that and replace the
            lost one in Security settings: it is immediate. Otherwise, ask us to reset your second factors here.
          </p>
        )
      }
    >
      {answer ? (
        <ResetSubmitted answer={answer} />
      ) : (
        <>
          <HowItWorks />
          <ResetForm initialEmail={email} onSubmitted={submitted} />
        </>
      )}
      <p className="links">
        <Link to="/login">Back to sign in</Link>
      </p>
    </Page>
  );
}
