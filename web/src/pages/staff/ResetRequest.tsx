/**
 * Staff console, reviewing a 2FA reset request (/staff/2fa-resets/request?id=…): GET
 * /api/staff/2fa-resets/{id} — who and when, the risk signals, where the request came from, the new
 * selfie beside the identity on file, the account's second factors and recent sign-ins, and the
 * decision. Nobody decides on their own account's request; approving needs the identity verified.
 */
import type { ResetDetail } from '../../../../src/contracts/two-factor-reset.ts';
import { Fact, TimeFact } from '../../components/security/Fact.tsx';
import { methodWords } from '../../components/security/format.ts';
import { ActivityTable } from '../../components/staff/ActivityTable.tsx';
import { ResetSignals, ResetStateBadge } from '../../components/staff/ResetBadges.tsx';
import { DecisionOutcome, DecisionSection, Reviewed } from '../../components/staff/Review.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { KycBadge } from '../../components/staff/UserSummary.tsx';
import { useStaff } from '../../components/staff/useStaff.ts';
import { profilePath } from '../../components/staff/words.ts';
import { RESET_STATE_LABELS } from '../../components/two-factor-reset/words.ts';
import { Link } from '../../router.tsx';
import { ResetComparison } from './ResetComparison.tsx';
import { ResetDecisionForm } from './ResetDecisionForm.tsx';

export const StaffResetRequestPage = staffPage('2FA reset request', 'resets', Request);

function RequestPanel({ detail }: { detail: ResetDetail }) {
  return (
    <section className="panel panel-full" aria-labelledby="request-heading">
      <h2 id="request-heading" className="wrap" data-testid="reset-heading">
        Reset for {detail.email}
      </h2>
      <p className="badges">
        <ResetStateBadge state={detail.state} />
        <KycBadge status={detail.kycStatus} />
      </p>
      <dl className="sc-facts">
        <Fact label="Account">
          <Link to={profilePath(detail.userId)} className="mono">
            {detail.userId}
          </Link>
        </Fact>
        <TimeFact label="Submitted" iso={detail.submittedAt} />
      </dl>
      <h3>Risk signals</h3>
      <ResetSignals signals={detail.riskSignals} />
    </section>
  );
}

function OriginPanel({ origin }: { origin: ResetDetail['origin'] }) {
  return (
    <section className="panel" aria-labelledby="origin-heading">
      <h2 id="origin-heading">Where the request came from</h2>
      <dl className="sc-facts" data-testid="reset-origin">
        <Fact label="IP address" className="mono">
          {origin.ip}
        </Fact>
        <Fact label="Device" className="wrap">
          {origin.device}
        </Fact>
        <Fact label="Location" className="wrap">
          {origin.place ?? 'Unknown'}
        </Fact>
      </dl>
    </section>
  );
}

function FactorsPanel({ factors }: { factors: ResetDetail['factors'] }) {
  return (
    <section className="panel" aria-labelledby="factors-heading">
      <h2 id="factors-heading">Second factors on the account</h2>
      <p className="small muted">What an approved reset removes.</p>
      {factors.length === 0 ? (
        <p className="muted">No second factor.</p>
      ) : (
        <ul className="sc-list" data-testid="reset-factors">
          {factors.map((factor, index) => (
            <li key={`${factor.method}-${index}`} className="sc-item" data-method={factor.method}>
              <div className="sc-item-head">
                <strong className="wrap">{factor.name}</strong>
              </div>
              <dl className="sc-facts">
                <Fact label="Kind">{methodWords(factor.method)}</Fact>
                <Fact label="How many">{factor.count}</Fact>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A request no longer pending: what became of it, when and by whom. */
function Outcome({ detail }: { detail: ResetDetail }) {
  return (
    <DecisionOutcome testId="reset-outcome" label={RESET_STATE_LABELS[detail.state]} decidedAt={detail.decidedAt} reviewedBy={detail.reviewedBy}>
      {detail.reason ? <p className="wrap staff-quote">{detail.reason}</p> : null}
      <dl className="sc-facts">
        <TimeFact label="Takes effect" iso={detail.state === 'approved' ? detail.effectiveAt : null} as="later" />
        <TimeFact label="Cancelled" iso={detail.cancelledAt} />
        <TimeFact label="Carried out" iso={detail.completedAt} />
      </dl>
    </DecisionOutcome>
  );
}

function Request() {
  return (
    <Reviewed<ResetDetail> what="request" queue="/staff/2fa-resets" api={(id) => `/api/staff/2fa-resets/${encodeURIComponent(id)}`}>
      {(detail, reload) => <RequestReview detail={detail} reload={reload} />}
    </Reviewed>
  );
}

function RequestReview({ detail, reload }: { detail: ResetDetail; reload: () => void }) {
  const { may } = useStaff();
  return (
    <div className="grid">
      <RequestPanel detail={detail} />
      <OriginPanel origin={detail.origin} />
      <FactorsPanel factors={detail.factors} />
      <ResetComparison detail={detail} />

      <section className="panel panel-full" aria-labelledby="reset-activity-heading">
        <h2 id="reset-activity-heading">Recent login activity</h2>
        {detail.activity.length === 0 ? (
          <p className="muted">No sign-in attempt.</p>
        ) : (
          <ActivityTable entries={detail.activity} label="Recent sign-in attempts of this account" />
        )}
      </section>

      <DecisionSection
        outcome={detail.state !== 'pending' ? <Outcome detail={detail} /> : null}
        own={detail.own}
        ownWords="This request is for your own account: you cannot decide on it. Ask another staff member."
        mayDecide={may('two_factor_resets:decide')}
        cannotWords="Your role cannot decide on reset requests."
        reload={reload}
        form={(onDecided) => <ResetDecisionForm detail={detail} onDecided={onDecided} />}
      />
    </div>
  );
}
