/**
 * What support does to an account, each one transaction through the security-change table (the
 * sessions it ends, the hold, the owner's email, the audit event with the staff member as actor and
 * the reason): lock it (sign-ins refused until staff unlock it), unlock it (the staff lock and the
 * failed-attempt lockouts; an owner's own freeze stays: only the owner's factors lift it), end every
 * session, and (admins) grant or take a staff role. Nobody lifts a lock on their own account or
 * changes their own role.
 */
import { passwordKey } from '../../account/locks.ts';
import { activeCodeLocks, clearAccountLocks } from '../../factors/locks.ts';
import { securityChanged } from '../../account/security-change.ts';
import { liveSessions } from '../../account/sessions.ts';
import { findUserById, type User } from '../../account/users.ts';
import { actorId, type Actor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { StaffRole } from '../../contracts/staff.ts';
import type { Deps } from '../../deps.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors/app-error.ts';
import { inTransaction } from '../../store/database.ts';

/** Who acts: a staff member (their account id), or the operator's command line (the system). */
export interface StaffAction {
  actor: Actor;
  reason: string;
  client: ClientInfo | null;
}

function refuseOwn(action: StaffAction, user: User, what: string): void {
  if (actorId(action.actor) === user.id) throw forbidden('staff_own_account', `You cannot ${what} your own account. Ask another staff member.`);
}

export async function lockByStaff(deps: Deps, userId: string, action: StaffAction): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    const now = deps.clock.now();
    const changed = await tx
      .updateTable('users')
      .set({ staff_locked_at: now, staff_lock_reason: action.reason, staff_locked_by: actorId(action.actor), updated_at: now })
      .where('id', '=', userId)
      .where('staff_locked_at', 'is', null)
      .executeTakeFirst();
    const user = await findUserById(tx, userId);
    if (!user) throw notFound('not_found', 'No such user.');
    if (Number(changed.numUpdatedRows) !== 1) throw conflict('account_locked_by_staff', 'The account is locked by staff already.');
    await securityChanged(deps, tx, { kind: 'account_locked_by_staff', subject: user, actor: action.actor, client: action.client, alert: { reason: action.reason }, data: { reason: action.reason } });
  });
}

export async function unlockByStaff(deps: Deps, userId: string, action: StaffAction): Promise<void> {
  const user = await findUserById(deps.store.db, userId);
  if (!user) throw notFound('not_found', 'No such user.');
  refuseOwn(action, user, 'unlock');
  const [passwordLock, codeLocks] = await Promise.all([deps.throttle.lockedUntil(passwordKey(user.email)), activeCodeLocks(deps, user)]);
  if (user.staff_locked_at === null && passwordLock === null && codeLocks.length === 0) {
    throw conflict('account_not_locked', user.frozen_at !== null ? 'Only the owner can unlock an account they locked themselves (with their password, a strong factor and their inbox).' : 'The account has no lock to lift.');
  }
  await inTransaction(deps.store.db, async (tx) => {
    const now = deps.clock.now();
    await tx.updateTable('users').set({ staff_locked_at: null, staff_lock_reason: null, staff_locked_by: null, updated_at: now }).where('id', '=', user.id).execute();
    await securityChanged(deps, tx, {
      kind: 'account_unlocked_by_staff',
      subject: user,
      actor: action.actor,
      client: action.client,
      alert: {},
      data: { reason: action.reason, lifted: { staffLock: user.staff_locked_at !== null, passwordLock: passwordLock !== null, codeLocks: codeLocks.map((l) => (l.hard ? `${l.method} (hard)` : l.method)) } },
    });
  });
  // The lockout counters live in the throttle (Redis on several nodes), outside the transaction.
  await clearAccountLocks(deps, user, { password: true });
}

/** Ends every session and sign-in in progress; returns how many sessions ended. */
export async function revokeSessionsByStaff(deps: Deps, userId: string, action: StaffAction): Promise<number> {
  const user = await findUserById(deps.store.db, userId);
  if (!user) throw notFound('not_found', 'No such user.');
  const count = (await liveSessions(deps, user.id)).length;
  await inTransaction(deps.store.db, (tx) =>
    securityChanged(deps, tx, { kind: 'sessions_revoked_by_staff', subject: user, actor: action.actor, client: action.client, alert: {}, data: { reason: action.reason, count } }),
  );
  return count;
}

/** Grants, changes or (null) takes away a staff role. */
export async function setStaffRole(deps: Deps, user: User, role: StaffRole | null, action: StaffAction): Promise<void> {
  if (actorId(action.actor) === user.id) throw forbidden('staff_own_account', 'You cannot change your own staff role. Ask another admin.');
  if (user.staff_role === role) throw new AppError(409, 'invalid_request', `The account's staff role is ${role ?? 'none'} already.`);
  await inTransaction(deps.store.db, async (tx) => {
    await tx.updateTable('users').set({ staff_role: role, updated_at: deps.clock.now() }).where('id', '=', user.id).execute();
    await securityChanged(deps, tx, { kind: 'staff_role_changed', subject: user, actor: action.actor, client: action.client, alert: { role: role ?? 'none (access removed)' }, data: { reason: action.reason, from: user.staff_role, to: role } });
  });
}
