/**
 * Changing the password from security settings: needs a fresh step-up (checked by the route) and
 * the current password, proved like any first factor (factors/prove.ts: wrong ones count toward the
 * account's password lockout); applies the policy, then account/password.ts (other sessions end,
 * withdrawals are held, the owner is alerted).
 */
import { replacePassword } from '../../account/password.ts';
import type { Session } from '../../account/sessions.ts';
import type { User } from '../../account/users.ts';
import { self, userActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { unauthorized } from '../../errors/app-error.ts';
import { enforcePasswordPolicy } from '../../factors/password/new-password.ts';
import { proveFactor } from '../../factors/prove.ts';
import { inTransaction } from '../../store/database.ts';

export async function changePassword(
  deps: Deps,
  user: User,
  session: Session,
  input: { currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<void> {
  const password = enforcePasswordPolicy(deps, input.newPassword, user.email);
  await proveFactor(deps, {
    factor: 'password',
    ceremony: { purpose: 'password_change', boundTo: `session:${session.id}`, role: 'first' },
    user,
    answer: { password: input.currentPassword },
    client,
    actor: userActor(user.id),
    onSuccess: async () => undefined,
    onFailure: (tx) => deps.audit.record(tx, { type: 'password.change_failed', ...self(user.id), client }),
    refusal: () => unauthorized('invalid_credentials', 'Your current password is not right.'),
  });
  const passwordHash = await deps.passwords.hash(password);
  await inTransaction(deps.store.db, (tx) =>
    replacePassword(deps, tx, { user, passwordHash, kind: 'password_changed', actor: userActor(user.id), client, keepSessionId: session.id, data: { otherSessionsEnded: true } }),
  );
}
