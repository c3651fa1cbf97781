/**
 * Login activity: every sign-in attempt (and failed proof for a step-up or a reset, marked with what
 * it was for), newest first, ten at a time ("Load more"). Attempts that
 * did not sign in, or that raised risk signals, are marked in words (badges) as well as in colour.
 */
import { ErrorMessage, StatusMessage } from '../Messages.tsx';
import { methodWords, purposeWords, resultBadge, resultWords, signalWords } from './format.ts';
import type { ActivityEntry, ActivityPage } from '../../../../src/contracts/security-center.ts';
import { useFocusOnMore, usePages } from './usePages.ts';
import { When } from './When.tsx';
import { Fact } from './Fact.tsx';

export const ACTIVITY_PAGE_SIZE = 10;

/** The first page; usePages adds the cursor for the next ones. */
const ACTIVITY_PATH = `/api/me/activity?limit=${ACTIVITY_PAGE_SIZE}`;

const entriesOf = (page: ActivityPage) => page.entries;

/** The badges for an attempt: how it ended (unless it signed in) and each risk signal. */
export function activityBadges(entry: Pick<ActivityEntry, 'result' | 'riskSignals'>): string[] {
  const badge = resultBadge(entry.result);
  return [...(badge ? [badge] : []), ...entry.riskSignals.map((signal) => `Risky: ${signalWords(signal)}`)];
}

/** Where and how a sign-in attempt was made (here, and in the staff console's view of an account). */
export function AttemptFacts({ device, location, ip, method, purpose }: { device: string; location: string; ip: string; method: string | null; purpose?: string }) {
  return (
    <dl className="sc-facts">
      {purpose !== undefined && purpose !== 'sign_in' ? (
        <Fact label="For" className="wrap">
          <span data-testid="activity-purpose">{purposeWords(purpose)}</span>
        </Fact>
      ) : null}
      <Fact label="Device" className="wrap">{device}</Fact>
      <Fact label="Location" className="wrap">{location}</Fact>
      <Fact label="IP address" className="mono">{ip}</Fact>
      <Fact label="Method">{methodWords(method)}</Fact>
    </dl>
  );
}

export function LoginActivity({ refreshKey }: { refreshKey: number }) {
  const { entries, hasMore, loadingMore, loadMore, error, reload } = usePages(ACTIVITY_PATH, refreshKey, entriesOf);
  /** The first entry of the page just added: focus moves there, so reading continues in order. */
  const focus = useFocusOnMore(loadMore);

  const flaggedCount = entries?.filter((e) => activityBadges(e).length > 0).length ?? 0;

  return (
    <section className="panel panel-full" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Login activity</h2>
      <p className="muted small">
        Every attempt to sign in to your account, newest first. Attempts that failed or looked risky are marked. If you do not recognise one, change
        your password and end the sessions you do not know.
      </p>
      {!entries && !error ? <StatusMessage>Loading login activity…</StatusMessage> : null}
      {entries && entries.length === 0 ? <p>No sign-in attempts yet.</p> : null}
      {entries && entries.length > 0 ? (
        <>
          <p className="small" aria-live="polite">
            Showing {entries.length} {entries.length === 1 ? 'attempt' : 'attempts'}
            {flaggedCount > 0 ? `, ${flaggedCount} marked as failed or risky` : ''}.
          </p>
          <ol className="sc-list activity-list" data-testid="activity">
            {entries.map((entry) => {
              const badges = activityBadges(entry);
              const flagged = badges.length > 0;
              return (
                <li
                  key={entry.id}
                  ref={focus.itemRef(entry.id)}
                  tabIndex={focus.focusable(entry.id) ? -1 : undefined}
                  className={flagged ? 'sc-item activity-item activity-flagged' : 'sc-item activity-item'}
                  data-testid="activity-entry"
                  data-result={entry.result}
                  data-flagged={flagged ? 'true' : 'false'}
                >
                  <div className="sc-item-head">
                    <span className="activity-icon" aria-hidden="true">
                      {flagged ? '!' : '✓'}
                    </span>
                    <strong className="activity-result">{resultWords(entry.result)}</strong>
                    {badges.map((badge) => (
                      <span key={badge} className="badge badge-alert" data-testid="activity-badge">
                        {badge}
                      </span>
                    ))}
                  </div>
                  <p className="sc-when">
                    <When iso={entry.at} />
                  </p>
                  <AttemptFacts device={entry.device} location={entry.location} ip={entry.ip} method={entry.method} purpose={entry.purpose} />
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
      {error ? (
        <>
          <ErrorMessage>{error}</ErrorMessage>
          {!entries ? (
            <button type="button" className="button-secondary" onClick={reload}>
              Try again
            </button>
          ) : null}
        </>
      ) : null}
      {entries && hasMore ? (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => void focus.more()} aria-disabled={loadingMore ? true : undefined}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
