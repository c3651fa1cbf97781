/**
 * Replacing the password, whether changed in settings or reset by email, in the caller's
 * transaction: the account row is locked first (so a sign-in completing at the same moment either
 * finishes before, and its session is ended here, or finds its flow gone), the new hash and its time
 * are written, then the security change does the rest (sessions and sign-ins end, withdrawals are
 * held, the owner is alerted, the event is recorded).
 */
import type { Actor } from '../audit/audit.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { Deps } from '../deps.ts';
import type { Tx } from '../store/database.ts';
import { securityChanged } from './security-change.ts';
import { lockUser, type User } from './users.ts';

export async function replacePassword(
  deps: Deps,
  tx: Tx,
  input: { user: User; passwordHash: string; kind: 'password_changed' | 'password_reset'; actor: Actor; client: ClientInfo; keepSessionId?: string; data: Record<string, unknown> },
): Promise<void> {
  const { user } = input;
  const now = deps.clock.now();
  await lockUser(tx, deps.store.dialect, user.id);
  await tx.updateTable('users').set({ password_hash: input.passwordHash, password_changed_at: now, updated_at: now }).where('id', '=', user.id).execute();
  await securityChanged(deps, tx, {
    kind: input.kind,
    subject: user,
    actor: input.actor,
    client: input.client,
    keepSessionId: input.keepSessionId,
    alert: { resetUrl: `${deps.config.baseUrl}/forgot-password` },
    data: input.data,
  });
}
