/**
 * The signed-in home: the money first (portfolio, buy or sell, deposit, history; see dashboard/Money),
 * then the account summary, identity verification, and the security checklist with its score.
 */
import { checklistScore, securityChecklist } from '../checklist.ts';
import { KycSummary } from '../components/kyc/KycSummary.tsx';
import '../components/kyc/kyc.css';
import { ErrorMessage, StatusMessage } from '../components/Messages.tsx';
import { Page } from '../components/Page.tsx';
import { useSignedIn } from '../session.tsx';
import { Link } from '../router.tsx';
import { Money } from './dashboard/Money.tsx';

const dateOnly = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
const dateTime = (iso: string) => new Date(iso).toLocaleString();

export function DashboardPage() {
  const { me, error, reload } = useSignedIn();

  if (!me) {
    return (
      <Page title="Dashboard" wide>
        {error ? (
          <>
            <ErrorMessage>{error}</ErrorMessage>
            <button type="button" onClick={reload}>
              Try again
            </button>
          </>
        ) : (
          <StatusMessage>Loading your account…</StatusMessage>
        )}
      </Page>
    );
  }

  const items = securityChecklist(me);
  const score = checklistScore(items);
  const doneCount = items.filter((item) => item.done).length;

  return (
    <Page title="Dashboard" wide>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="grid">
        <Money />

        <section className="panel">
          <h2>Your account</h2>
          <dl className="summary">
            <div>
              <dt>Email</dt>
              <dd className="wrap">{me.user.email}</dd>
            </div>
            <div>
              <dt>Member since</dt>
              <dd>{dateOnly(me.user.createdAt)}</dd>
            </div>
            <div>
              <dt>KYC level</dt>
              <dd>Level {me.security.kycLevel}</dd>
            </div>
            <div>
              <dt>Session expires</dt>
              <dd>{dateTime(me.session.expiresAt)}</dd>
            </div>
          </dl>
        </section>

        <KycSummary status={me.security.kycStatus} level={me.security.kycLevel} />

        <section className="panel">
          <h2>Security checklist</h2>
          <p className="score">
            Security score: <strong data-testid="security-score">{score}%</strong>
            <span className="muted small">
              {' '}
              ({doneCount} of {items.length} done)
            </span>
          </p>
          <div className="score-bar" aria-hidden="true">
            <span style={{ width: `${score}%` }} />
          </div>
          <ul className="checklist">
            {items.map((item) => (
              <li key={item.id} className={item.done ? 'done' : 'todo'} data-testid={`check-${item.id}`}>
                <span className="check-icon" aria-hidden="true">
                  {item.done ? '✓' : '!'}
                </span>
                <span className="check-body">
                  <span className="check-label">
                    {item.label}
                    <span className="visually-hidden">{item.done ? ': done' : ': not done'}</span>
                  </span>
                  <span className="check-detail">{item.detail}</span>
                  {item.fixAt ? <Link to={item.fixAt.to}>{item.fixAt.text}</Link> : null}
                </span>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/security">Open security settings</Link>
          </p>
        </section>
      </div>
    </Page>
  );
}
