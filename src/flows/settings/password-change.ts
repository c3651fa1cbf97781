/**
 * Changing the password from security settings: needs the current password and a fresh step-up,
 * applies the policy, then password-replaced.ts (other sessions end, withdrawals are held, the
 * owner is emailed). Wrong current passwords count toward the account's password lockout.
 */
import type { Deps } from '../../deps.ts';
import { unauthorized } from '../../errors/app-error.ts';
import { hashPassword, verifyPassword } from '../../crypto/password.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { inTransaction } from '../../store/database.ts';
import { normalizePassword } from '../registration/password-policy.ts';
import { enforcePasswordPolicy } from '../registration/service.ts';
import type { Session } from '../../account/sessions.ts';
import { assertReserved, notifyLocked, passwordKey, PASSWORD_LOCKOUT } from '../../account/locks.ts';
import type { User } from '../../account/users.ts';
import { replacePassword } from '../../account/password-replaced.ts';

export async function changePassword(
  deps: Deps,
  user: User,
  session: Session,
  input: { currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<void> {
  const password = enforcePasswordPolicy(deps, input.newPassword, user.email);
  const key = passwordKey(user.email);
  assertReserved(await deps.throttle.acquire(key, PASSWORD_LOCKOUT), deps.clock.now());
  if (!(await verifyPassword(user.password_hash, normalizePassword(input.currentPassword)))) {
    const failed = await deps.throttle.fail(key, PASSWORD_LOCKOUT);
    await inTransaction(deps.store.db, async (tx) => {
      await deps.audit.record(tx, { type: 'password.change_failed', userId: user.id, ip: client.ip, userAgent: client.userAgent });
      if (failed.locked) await notifyLocked(deps, tx, user, failed.lockedUntil, 'password', client);
    });
    throw unauthorized('invalid_credentials', 'Your current password is not right.');
  }
  await deps.throttle.succeed(key);
  const passwordHash = await hashPassword(password);
  await inTransaction(deps.store.db, async (tx) => {
    await replacePassword(deps, tx, { user, passwordHash, reason: 'password_changed', keepSessionId: session.id });
    await deps.audit.record(tx, { type: 'password.changed', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { otherSessionsEnded: true } });
  });
}
