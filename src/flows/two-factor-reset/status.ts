/**
 * The two links in every email about a reset request, usable without signing in:
 * - the status page: each link shows the request once (single-use, 7 days) and hands out the next
 *   one, so the page can be reloaded while the link in the email is spent;
 * - "cancel — this wasn't me": cancels the request if it is still open and locks (freezes) the
 *   account either way; after a reset was carried out it also puts a staff lock on the account (only
 *   support lifts it), since the one who asked may hold a strong factor of their own by then.
 */
import { freezeAccount } from '../../account/freeze.ts';
import { consumeToken } from '../../account/tokens.ts';
import { securityChanged } from '../../account/security-change.ts';
import { findUserById, lockUser, type User } from '../../account/users.ts';
import { removeSecondFactors } from '../../factors/registry.ts';
import { userActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { isoTime } from '../../clock.ts';
import type { ResetCancelAnswer, ResetStatusBody } from '../../contracts/two-factor-reset.ts';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { findRequest, noticeEveryAddress, OPEN_STATES, progressOf, requestOfBinding, statusLink, timesOf, type ResetRequest } from './requests.ts';

/** "a***@example.com": enough for the owner to recognise, not to learn an address. */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, Math.min(1, at))}***${email.slice(at)}`;
};

const DISOWNED_REASON = "The owner said a 2FA reset that was carried out wasn't theirs: check who holds the account before unlocking it.";

const invalidLink = () => badRequest('invalid_token', 'This link is not valid: it was used already or has expired. Every email about the request carries a fresh one.');

async function requestOfToken(deps: Deps, tx: Tx, purpose: 'two_factor_reset_status' | 'two_factor_reset_cancel', token: string): Promise<ResetRequest> {
  const used = await consumeToken(deps, tx, { purpose, secret: token });
  const requestId = requestOfBinding(used?.bound_to ?? null);
  const request = requestId ? await findRequest(tx, requestId) : undefined;
  if (!used || !request || request.user_id !== used.user_id) throw invalidLink();
  return request;
}

export async function requestStatus(deps: Deps, token: string): Promise<ResetStatusBody> {
  return inTransaction(deps.store.db, async (tx) => {
    const request = await requestOfToken(deps, tx, 'two_factor_reset_status', token);
    const user = await findUserById(tx, request.user_id);
    if (!user) throw invalidLink();
    const next = await statusLink(deps, tx, request);
    return {
      status: progressOf(request),
      // Masked: the links also reach an address given up in an email change, which must not learn the new one.
      email: maskEmail(user.email),
      ...timesOf(request),
      reason: request.status === 'rejected' ? request.reason : null,
      nextToken: next.token,
      nextTokenExpiresAt: isoTime(next.expiresAt)!,
    };
  });
}

export async function cancelRequest(deps: Deps, token: string, client: ClientInfo): Promise<ResetCancelAnswer> {
  return inTransaction(deps.store.db, async (tx) => {
    const link = await requestOfToken(deps, tx, 'two_factor_reset_cancel', token);
    await lockUser(tx, deps.store.dialect, link.user_id);
    // Read again under the lock: a carry-out that committed meanwhile decides what this cancel does.
    const found = (await findRequest(tx, link.id))!;
    const user = await findUserById(tx, found.user_id);
    if (!user) throw invalidLink();
    const now = deps.clock.now();
    // Every open request of the account stops, whichever email the link came in.
    const cancelled = await tx
      .updateTable('two_factor_resets')
      .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
      .where('user_id', '=', user.id)
      .where('status', 'in', OPEN_STATES)
      .executeTakeFirst();
    const requestCancelled = Number(cancelled.numUpdatedRows) > 0;
    // Carried out already: whoever asked may hold a strong factor of their own by now, and the
    // owner none. Their factors go, every session ends, and only support lifts the lock (a freeze
    // would wait for a strong factor only the one who asked has).
    const disowned = found.status === 'completed';
    if (disowned) await disownReset(deps, tx, user, found.id, client);
    else if (user.frozen_at === null) await freezeAccount(deps, tx, user, 'email_link', client);
    await noticeEveryAddress(deps, tx, user, 'two_factor_reset_cancelled', { at: now, requestCancelled, staffLocked: disowned });
    await deps.audit.record(tx, {
      type: 'mfa_reset.cancelled',
      actor: userActor(user.id),
      subject: user.id,
      client,
      data: { requestId: found.id, requestCancelled, stateBefore: found.status },
    });
    return { status: 'cancelled', requestCancelled, frozen: !disowned, staffLocked: disowned };
  });
}

/** The owner disowned a reset that was carried out: the factors enrolled since go, and a staff lock holds the account. */
async function disownReset(deps: Deps, tx: Tx, user: User, requestId: string, client: ClientInfo): Promise<void> {
  const now = deps.clock.now();
  const removed = await removeSecondFactors(tx, user.id);
  if (user.staff_locked_at === null) {
    await tx.updateTable('users').set({ staff_locked_at: now, staff_lock_reason: DISOWNED_REASON, staff_locked_by: null, updated_at: now }).where('id', '=', user.id).execute();
  }
  await securityChanged(deps, tx, { kind: 'two_factor_reset_disowned', subject: user, actor: userActor(user.id), client, alert: { reason: DISOWNED_REASON }, data: { requestId, removed } });
}
