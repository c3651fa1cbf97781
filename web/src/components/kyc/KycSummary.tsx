/**
 * The dashboard's "Identity verification" panel: the status from GET /api/me in words and, when
 * there is something to do, what and a link to /kyc. For a resubmission it loads GET /api/kyc to
 * name the items the reviewer asked for.
 */
import type { KycStatus, KycStatusBody } from '../../../../src/contracts/kyc.ts';
import { Link } from '../../router.tsx';
import { useSecurityData } from '../security/useSecurityData.ts';
import { kycStatusWords, OWNER_ITEM_LABELS } from './words.ts';

/** What the status means for the owner, and the link to act on it. */
const NEXT: Record<KycStatus, { detail: string; link?: string }> = {
  none: { detail: 'Verify your identity to raise your withdrawal limits. You need an identity document and a few minutes.', link: 'Verify your identity' },
  pending: { detail: 'We are checking the documents you sent.' },
  verified: { detail: 'Your identity is verified.' },
  rejected: { detail: 'Your identity could not be verified with the documents you sent.', link: 'See the reviewer’s message' },
  resubmission_requested: { detail: 'The reviewer asked you to send some items again.', link: 'Send them again' },
};

/** The items a reviewer asked for (GET /api/kyc), as a list; nothing while loading or if it fails. */
function RequestedItems() {
  const { data } = useSecurityData<KycStatusBody>('/api/kyc');
  const items = data?.submission?.requestedItems ?? [];
  if (items.length === 0) return null;
  return (
    <ul className="kyc-requested" data-testid="kyc-missing">
      {items.map((item) => (
        <li key={item}>{OWNER_ITEM_LABELS[item]}</li>
      ))}
    </ul>
  );
}

export function KycSummary({ status, level }: { status: KycStatus; level: number }) {
  const next = NEXT[status];
  return (
    <section className="panel" aria-labelledby="kyc-heading">
      <h2 id="kyc-heading">Identity verification</h2>
      <p className="kyc-status-line">
        Status:{' '}
        <strong data-testid="kyc-status" data-status={status}>
          {kycStatusWords(status)}
        </strong>
      </p>
      <p className="muted small">
        {next.detail}
        {status === 'verified' ? ` Verification level ${level}.` : ''}
      </p>
      {status === 'resubmission_requested' ? <RequestedItems /> : null}
      {next.link ? (
        <p>
          <Link to="/kyc">{next.link}</Link>
        </p>
      ) : null}
    </section>
  );
}
