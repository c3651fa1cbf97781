/** Security history: changes to the account's security (not sign-ins), newest first. */
import { LoadState } from './LoadState.tsx';
import { useState } from 'react';
import type { SecurityEventList } from '../../../../src/contracts/security-center.ts';
import { useSecurityData } from './useSecurityData.ts';
import { When } from './When.tsx';
import { Fact } from './Fact.tsx';

const SHOWN_AT_FIRST = 10;

export function SecurityHistory({ refreshKey }: { refreshKey: number }) {
  const { data, error, reload } = useSecurityData<SecurityEventList>('/api/me/security-events', refreshKey);
  const [showAll, setShowAll] = useState(false);
  const events = data?.events ?? [];
  const shown = showAll ? events : events.slice(0, SHOWN_AT_FIRST);

  return (
    <section className="panel panel-full" aria-labelledby="history-heading">
      <h2 id="history-heading">Security history</h2>
      <p className="muted small">Changes to your account’s security, newest first. Sign-ins are under Login activity.</p>
      <LoadState what="security history" loaded={data !== null} error={error} onRetry={reload} />
      {data && events.length === 0 ? <p>No changes yet.</p> : null}
      {shown.length > 0 ? (
        <ol className="sc-list" data-testid="security-events">
          {shown.map((event, index) => (
            <li key={`${event.at}-${event.type}-${index}`} className="sc-item" data-testid="security-event" data-type={event.type}>
              <div className="sc-item-head">
                <strong>{event.description}</strong>
              </div>
              <p className="sc-when">
                <When iso={event.at} />
              </p>
              {event.device || event.location || event.ip ? (
                <dl className="sc-facts">
                  {event.device ? (
                    <Fact label="Device" className="wrap">{event.device}</Fact>
                  ) : null}
                  {event.location ? (
                    <Fact label="Location" className="wrap">{event.location}</Fact>
                  ) : null}
                  {event.ip ? (
                    <Fact label="IP address" className="mono">{event.ip}</Fact>
                  ) : null}
                </dl>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {events.length > SHOWN_AT_FIRST ? (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setShowAll((all) => !all)} aria-expanded={showAll}>
            {showAll ? 'Show fewer' : `Show all ${events.length} changes`}
          </button>
        </div>
      ) : null}
    </section>
  );
}
