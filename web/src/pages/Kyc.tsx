/**
 * Identity verification (/kyc): where the check stands (GET /api/kyc) and, when there is something
 * to send, the form for it: the whole submission the first time, only the requested items when a
 * reviewer asks for them again.
 */
import { useState } from 'react';
import type { KycStatusBody } from '../../../src/contracts/kyc.ts';
import { ErrorMessage, SuccessMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { focusSoon, pageHeading } from '../components/security/focus.ts';
import { LoadState } from '../components/security/LoadState.tsx';
import { useSecurityData } from '../components/security/useSecurityData.ts';
import '../components/kyc/kyc.css';
import { Link } from '../router.tsx';
import { useSession, useSignedIn } from '../session.tsx';
import { KycForm } from './kyc/KycForm.tsx';
import { KycOutcome } from './kyc/KycOutcome.tsx';

export function KycPage() {
  const { error: sessionError } = useSignedIn();
  const { refresh } = useSession();
  const { data, error, reload } = useSecurityData<KycStatusBody>('/api/kyc');
  /** The answer to a submission, which replaces what was loaded. */
  const [answer, setAnswer] = useState<KycStatusBody | null>(null);
  const status = answer ?? data;

  const sent = (next: KycStatusBody) => {
    setAnswer(next);
    // The dashboard shows the status from GET /api/me.
    void refresh().catch(() => null);
    // The form is gone: start reading again from the top, where the new status is.
    focusSoon(pageHeading, true);
  };

  return (
    <Page title="Identity verification">
      <ErrorMessage>{sessionError}</ErrorMessage>
      <LoadState what="your verification" loaded={status !== null} error={error} onRetry={reload} />
      {answer ? <SuccessMessage>Your documents were sent. We will check them and show the result here.</SuccessMessage> : null}
      {status ? (
        <>
          <KycOutcome status={status} />
          {status.canSubmit || status.canResubmit ? <KycForm key={status.status} status={status} onSent={sent} /> : null}
        </>
      ) : null}
      <p className="links">
        <Link to="/dashboard">Back to the dashboard</Link>
      </p>
    </Page>
  );
}
