/**
 * Where an identity check stands, as GET /api/kyc reports it: not started, under review, verified,
 * rejected (with the reviewer's message; final) or waiting for the items the reviewer asked for.
 */
import type { KycStatusBody } from '../../../../src/contracts/kyc.ts';
import { countryName } from '../../components/kyc/countries.ts';
import { DOCUMENT_TYPE_LABELS, kycStatusWords, OWNER_ITEM_LABELS } from '../../components/kyc/words.ts';
import { localTime } from '../../components/security/format.ts';

type Submission = NonNullable<KycStatusBody['submission']>;

function SubmissionSummary({ submission }: { submission: Submission }) {
  return (
    <dl className="summary">
      <div>
        <dt>Legal name</dt>
        <dd className="wrap">{submission.legalName}</dd>
      </div>
      <div>
        <dt>Document</dt>
        <dd>
          {DOCUMENT_TYPE_LABELS[submission.documentType]}, {countryName(submission.issuingCountry)}
        </dd>
      </div>
      <div>
        <dt>Sent</dt>
        <dd>{localTime(submission.submittedAt)}</dd>
      </div>
      {submission.decidedAt ? (
        <div>
          <dt>Decided</dt>
          <dd>{localTime(submission.decidedAt)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function ReviewerMessage({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="kyc-message" data-testid="kyc-reviewer-message">
      <h2>Message from the reviewer</h2>
      <p className="wrap">{message}</p>
    </div>
  );
}

export function KycOutcome({ status }: { status: KycStatusBody }) {
  const { submission } = status;
  return (
    <div className="kyc-outcome">
      <p className="kyc-status-line">
        Status:{' '}
        <strong data-testid="kyc-status" data-status={status.status}>
          {kycStatusWords(status.status)}
        </strong>
      </p>
      {status.status === 'none' ? (
        <p>
          We need your details, photos of an identity document (passport, national ID card or driving licence) and a selfie. Have the document with you:
          it takes a few minutes.
        </p>
      ) : null}
      {status.status === 'pending' ? <p>We received your documents and are checking them. The result will show here.</p> : null}
      {status.status === 'verified' ? <p>Your identity is verified (level {status.level}).</p> : null}
      {status.status === 'rejected' ? (
        <>
          <p>Your identity could not be verified with these documents. This decision is final; contact support if you think it is wrong.</p>
          <ReviewerMessage message={submission?.message ?? null} />
        </>
      ) : null}
      {status.status === 'resubmission_requested' && submission ? (
        <>
          <p>The reviewer needs some items again. Send only these:</p>
          <ul className="kyc-requested" data-testid="kyc-requested">
            {submission.requestedItems.map((item) => (
              <li key={item}>{OWNER_ITEM_LABELS[item]}</li>
            ))}
          </ul>
          <ReviewerMessage message={submission.message} />
        </>
      ) : null}
      {submission && status.status !== 'resubmission_requested' ? <SubmissionSummary submission={submission} /> : null}
    </div>
  );
}
