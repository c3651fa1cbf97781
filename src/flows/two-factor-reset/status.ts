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
import { findUserById, lockUser } from '../../account/users.ts';
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

const CARRIED_OUT_REASON = "The owner said a 2FA reset that was carried out wasn't theirs: check who holds the account before unlocking it.";

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
    const found = await requestOfToken(deps, tx, 'two_factor_reset_cancel', token);
    await lockUser(tx, deps.store.dialect, found.user_id);
    const user = await findUserById(tx, found.user_id);
    if (!user) throw invalidLink();
    const now = deps.clock.now();
    const cancelled = await tx
      .updateTable('two_factor_resets')
      .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
      .where('id', '=', found.id)
      .where('status', 'in', OPEN_STATES)
      .executeTakeFirst();
    const requestCancelled = Number(cancelled.numUpdatedRows) === 1;
    if (user.frozen_at === null) await freezeAccount(deps, tx, user, 'email_link', client);
    // Carried out already: whoever asked may have enrolled a factor of their own, which could lift
    // the owner's lock after its cool-down. Only support may lift this one, after checking who is who.
    const staffLocked = found.status === 'completed' && user.staff_locked_at === null;
    if (staffLocked) {
      await tx.updateTable('users').set({ staff_locked_at: now, staff_lock_reason: CARRIED_OUT_REASON, staff_locked_by: null, updated_at: now }).where('id', '=', user.id).execute();
    }
    await noticeEveryAddress(deps, tx, user, 'two_factor_reset_cancelled', { at: now, requestCancelled, staffLocked });
    await deps.audit.record(tx, {
      type: 'mfa_reset.cancelled',
      actor: userActor(user.id),
      subject: user.id,
      client,
      data: { requestId: found.id, requestCancelled, stateBefore: found.status, ...(staffLocked ? { staffLocked } : {}) },
    });
    return { status: 'cancelled', requestCancelled, frozen: true };
  });
}
