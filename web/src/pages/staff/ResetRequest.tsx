/**
 * Staff console, reviewing a 2FA reset request (/staff/2fa-resets/request?id=…): GET
 * /api/staff/2fa-resets/{id} — who and when, the risk signals, where the request came from, the new
 * selfie beside the identity on file, the account's second factors and recent sign-ins, and the
 * decision. Nobody decides on their own account's request; approving needs the identity verified.
 */
import { useState } from 'react';
import type { ResetDetail } from '../../../../src/contracts/two-factor-reset.ts';
import { StatusMessage, SuccessMessage } from '../../components/Messages.tsx';
import { Fact } from '../../components/security/Fact.tsx';
import { useFocusRequest } from '../../components/security/focus.ts';
import { methodWords } from '../../components/security/format.ts';
import { LoadState } from '../../components/security/LoadState.tsx';
import { Later, When } from '../../components/security/When.tsx';
import { ActivityTable } from '../../components/staff/ActivityTable.tsx';
import { NotNamed } from '../../components/staff/NotNamed.tsx';
import { ResetSignals, ResetStateBadge } from '../../components/staff/ResetBadges.tsx';
import { staffPage } from '../../components/staff/StaffShell.tsx';
import { KycBadge, StaffMember } from '../../components/staff/UserSummary.tsx';
import { useStaff } from '../../components/staff/useStaff.ts';
import { useStaffData } from '../../components/staff/useStaffData.ts';
import { profilePath } from '../../components/staff/words.ts';
import { RESET_STATE_LABELS } from '../../components/two-factor-reset/words.ts';
import { Link, useQueryParam } from '../../router.tsx';
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
        <Fact label="Submitted">
          <When iso={detail.submittedAt} />
        </Fact>
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
    <div data-testid="reset-outcome">
      <p>
        Outcome: <strong>{RESET_STATE_LABELS[detail.state]}</strong>
        {detail.decidedAt ? (
          <>
            {' '}
            · <When iso={detail.decidedAt} />
          </>
        ) : null}
        {detail.reviewedBy ? (
          <>
            {' '}
            · by <StaffMember id={detail.reviewedBy} />
          </>
        ) : null}
      </p>
      {detail.reason ? <p className="wrap staff-quote">{detail.reason}</p> : null}
      <dl className="sc-facts">
        {detail.state === 'approved' && detail.effectiveAt ? (
          <Fact label="Takes effect">
            <Later iso={detail.effectiveAt} />
          </Fact>
        ) : null}
        {detail.cancelledAt ? (
          <Fact label="Cancelled">
            <When iso={detail.cancelledAt} />
          </Fact>
        ) : null}
        {detail.completedAt ? (
          <Fact label="Carried out">
            <When iso={detail.completedAt} />
          </Fact>
        ) : null}
      </dl>
    </div>
  );
}

function Request() {
  const id = useQueryParam('id');
  const { may } = useStaff();
  const { data: detail, error, reload } = useStaffData<ResetDetail>(id ? `/api/staff/2fa-resets/${encodeURIComponent(id)}` : null);
  const [done, setDone] = useState('');
  const [decisionHeading, focusDecision] = useFocusRequest<HTMLHeadingElement>();

  if (!id) {
    return <NotNamed what="request" back="Open the queue" to="/staff/2fa-resets" />;
  }
  if (!detail) return <LoadState what="the request" loaded={false} error={error} onRetry={reload} />;

  const decided = (message: string) => {
    setDone(message);
    reload();
    focusDecision();
  };

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

      <section className="panel panel-full" aria-labelledby="decision-heading">
        <h2 id="decision-heading" ref={decisionHeading} tabIndex={-1}>
          Decision
        </h2>
        <SuccessMessage>{done}</SuccessMessage>
        {detail.state !== 'pending' ? (
          <Outcome detail={detail} />
        ) : detail.own ? (
          <StatusMessage>This request is for your own account: you cannot decide on it. Ask another staff member.</StatusMessage>
        ) : may('two_factor_resets:decide') ? (
          <ResetDecisionForm detail={detail} onDecided={decided} />
        ) : (
          <p className="muted">Your role cannot decide on reset requests.</p>
        )}
      </section>
    </div>
  );
}
