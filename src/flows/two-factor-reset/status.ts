/**
 * The two links in every email about a reset request, usable without signing in:
 * - the status page: each link shows the request once (single-use, 7 days) and hands out the next
 *   one, so the page can be reloaded while the link in the email is spent;
 * - "cancel — this wasn't me": cancels the request if it is still open and locks (freezes) the
 *   account either way — after a reset was carried out it is the owner's fastest way to stop the
 *   one who asked for it.
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
      email: user.email,
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
    await noticeEveryAddress(deps, tx, user, 'two_factor_reset_cancelled', { at: now, requestCancelled });
    await deps.audit.record(tx, {
      type: 'mfa_reset.cancelled',
      actor: userActor(user.id),
      subject: user.id,
      client,
      data: { requestId: found.id, requestCancelled, stateBefore: found.status },
    });
    return { status: 'cancelled', requestCancelled, frozen: true };
  });
}
