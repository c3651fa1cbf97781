/** Signed-in sessions: where the account is signed in, ending one, or every other one at once. */
import { LoadState } from './LoadState.tsx';
import { useState } from 'react';
import { del, post } from '../../api.ts';
import { ErrorMessage, SuccessMessage } from '../Messages.tsx';
import type { RevokeOthersAnswer, SessionInfo, SessionList } from '../../../../src/contracts/security-center.ts';
import { useListAction } from './useListAction.ts';
import { useSecurityData } from './useSecurityData.ts';
import { When } from './When.tsx';
import { Fact } from './Fact.tsx';

export function Sessions({ refreshKey, onChanged }: { refreshKey: number; onChanged: () => void }) {
  const { data, error, reload } = useSecurityData<SessionList>('/api/me/sessions', refreshKey);
  const { busy, actionError, done, heading, act } = useListAction(onChanged);
  /** Sessions ended here, hidden at once (the list then loads again). */
  const [ended, setEnded] = useState<ReadonlySet<string>>(new Set());

  const end = (session: SessionInfo) =>
    act(session.id, async () => {
      await del(`/api/me/sessions/${encodeURIComponent(session.id)}`);
      setEnded((all) => new Set([...all, session.id]));
      return `The session on ${session.device} has ended.`;
    });

  const endOthers = () =>
    act('others', async () => {
      const answer = await post<RevokeOthersAnswer>('/api/me/sessions/revoke-others');
      setEnded((all) => new Set([...all, ...(data?.sessions ?? []).filter((s) => !s.current).map((s) => s.id)]));
      return answer.count === 1 ? 'Signed out of 1 other session.' : `Signed out of ${answer.count} other sessions.`;
    });

  const sessions = (data?.sessions ?? []).filter((s) => !ended.has(s.id));
  const others = sessions.filter((s) => !s.current).length;

  return (
    <section className="panel panel-full" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" ref={heading} tabIndex={-1}>
        Signed-in sessions
      </h2>
      <p className="muted small">Where your account is signed in now. End any session you do not recognise, then change your password.</p>
      <LoadState what="sessions" loaded={data !== null} error={error} onRetry={reload} />
      <SuccessMessage>{done}</SuccessMessage>
      <ErrorMessage>{actionError}</ErrorMessage>
      {data ? (
        <>
          <ul className="sc-list" data-testid="sessions">
            {sessions.map((session) => (
              <li key={session.id} className="sc-item" data-testid="session">
                <div className="sc-item-head">
                  <strong className="wrap">{session.device}</strong>
                  {session.current ? <span className="badge badge-current">This device</span> : null}
                </div>
                <dl className="sc-facts">
                  <Fact label="Location" className="wrap">{session.location}</Fact>
                  {session.ip ? (
                    <Fact label="IP address" className="mono">{session.ip}</Fact>
                  ) : null}
                  <Fact label="Last active"><When iso={session.lastActiveAt} /></Fact>
                  <Fact label="Signed in"><When iso={session.createdAt} /></Fact>
                </dl>
                {!session.current ? (
                  <button
                    type="button"
                    className="button-secondary button-small"
                    onClick={() => void end(session)}
                    aria-disabled={busy !== null ? true : undefined}
                  >
                    {busy === session.id ? 'Ending…' : 'End session'}
                    <span className="visually-hidden"> on {session.device}</span>
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          {others > 0 ? (
            <div className="actions">
              <button type="button" className="button-secondary" onClick={() => void endOthers()} aria-disabled={busy !== null ? true : undefined}>
                {busy === 'others' ? 'Signing out…' : 'Sign out everywhere else'}
              </button>
            </div>
          ) : (
            <p className="muted small">You are not signed in anywhere else.</p>
          )}
        </>
      ) : null}
    </section>
  );
}
