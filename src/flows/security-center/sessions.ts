/**
 * Ending sessions on the owner's request: end one session, or every other one. Each is
 * one transaction with its audit event; revocation holds on every node from the next request. The
 * apps signed in through an ended session are signed out too (back-channel logout).
 */
import { self } from '../../audit/audit.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../../errors/app-error.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { inTransaction } from '../../store/database.ts';
import type { User } from '../../account/users.ts';
import { endAppSessionsOf } from '../../account/app-sessions.ts';
import { liveSessions, revokeAllSessions, revokeSession, type Session } from '../../account/sessions.ts';

/** Ends one of the user's live sessions; 404 when it is not theirs or not live. */
export async function endSession(deps: Deps, user: User, sessionId: string, client: ClientInfo): Promise<void> {
  const target = (await liveSessions(deps, user.id)).find((s) => s.id === sessionId);
  if (!target) throw notFound('not_found', 'No such session.');
  await inTransaction(deps.store.db, async (tx) => {
    await revokeSession(tx, target.id, deps.clock.now());
    await endAppSessionsOf(tx, user.id, { sessionIds: [target.id] }, deps.clock.now(), { revokeTokens: true });
    await deps.audit.record(tx, { type: 'session.revoked', ...self(user.id), client, data: { sessionId: target.id } });
  });
}

/** Ends every session but `current`; returns how many ended. */
export async function endOtherSessions(deps: Deps, user: User, current: Session, client: ClientInfo): Promise<number> {
  const others = (await liveSessions(deps, user.id)).filter((s) => s.id !== current.id);
  await inTransaction(deps.store.db, async (tx) => {
    await revokeAllSessions(tx, user.id, deps.clock.now(), current.id);
    await endAppSessionsOf(tx, user.id, { allBut: current.id }, deps.clock.now(), { revokeTokens: true });
    await deps.audit.record(tx, { type: 'session.revoked_others', ...self(user.id), client, data: { count: others.length } });
  });
  return others.length;
}

/** The live sessions as the security page lists them. */
export async function describeSessions(deps: Deps, user: User, current: Session) {
  return (await liveSessions(deps, user.id)).map((s) => ({
    id: s.id,
    device: deps.describeDevice(s.user_agent ?? ''),
    location: deps.locate(s.ip ?? '').label,
    ip: s.ip,
    createdAt: new Date(s.created_at).toISOString(),
    lastActiveAt: new Date(s.last_active_at).toISOString(),
    current: s.id === current.id,
  }));
}
