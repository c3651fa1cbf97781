/**
 * Ending sessions on the owner's request: sign out, end one session, end every other one. Each is
 * one transaction with its audit event; revocation holds on every node from the next request.
 */
import type { Deps } from '../../deps.ts';
import { notFound } from '../../errors/app-error.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { inTransaction } from '../../store/database.ts';
import type { User } from '../../account/users.ts';
import { liveSessions, revokeAllSessions, revokeSession, type Session } from '../../account/sessions.ts';

export async function signOut(deps: Deps, user: User, session: Session, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    await revokeSession(tx, session.id, deps.clock.now());
    await deps.audit.record(tx, { type: 'session.logout', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { sessionId: session.id } });
  });
}

/** Ends one of the user's live sessions; 404 when it is not theirs or not live. */
export async function endSession(deps: Deps, user: User, sessionId: string, client: ClientInfo): Promise<void> {
  const target = (await liveSessions(deps, user.id)).find((s) => s.id === sessionId);
  if (!target) throw notFound('not_found', 'No such session.');
  await inTransaction(deps.store.db, async (tx) => {
    await revokeSession(tx, target.id, deps.clock.now());
    await deps.audit.record(tx, { type: 'session.revoked', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { sessionId: target.id } });
  });
}

/** Ends every session but `current`; returns how many ended. */
export async function endOtherSessions(deps: Deps, user: User, current: Session, client: ClientInfo): Promise<number> {
  const others = (await liveSessions(deps, user.id)).filter((s) => s.id !== current.id);
  await inTransaction(deps.store.db, async (tx) => {
    await revokeAllSessions(tx, user.id, deps.clock.now(), current.id);
    await deps.audit.record(tx, { type: 'session.revoked_others', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { count: others.length } });
  });
  return others.length;
}
