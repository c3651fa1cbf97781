/**
 * Signing out: this session ends on the server (on every node from the next request), with its audit
 * event; the apps this browser signed in to through Bastion are signed out too (back-channel logout).
 */
import { endAppSessionsOf } from '../../account/app-sessions.ts';
import type { Session } from '../../account/sessions.ts';
import { revokeSession } from '../../account/sessions.ts';
import type { User } from '../../account/users.ts';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { inTransaction } from '../../store/database.ts';

export async function signOut(deps: Deps, user: User, session: Session, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    await revokeSession(tx, session.id, deps.clock.now());
    await endAppSessionsOf(tx, user.id, { sessionIds: [session.id] }, deps.clock.now(), { revokeTokens: false });
    await deps.audit.record(tx, { type: 'session.logout', ...self(user.id), client, data: { sessionId: session.id } });
  });
}
