/**
 * Changing the account's email address (OWASP ASVS 5.0 V6.3: the new address proves it receives
 * mail; the old one is told and can undo it). Asked for with a fresh step-up: a code goes to the
 * new address and a notice with "cancel — this wasn't me" to the old one. The answer is the same
 * whether or not another account has the new address (its owner is told by email instead, and no
 * code exists). Entering the code makes the change: the security-change table ends the other
 * sessions and holds withdrawals, and the old address gets the alert with a cancel link that for 7
 * days puts it back and locks the account.
 */
import { HOUR, MINUTE } from '../../clock.ts';
import { sendAlert } from '../../account/alerts.ts';
import { freezeAccount } from '../../account/freeze.ts';
import { securityChanged } from '../../account/security-change.ts';
import type { Session } from '../../account/sessions.ts';
import { consumeToken, issueToken, matchAccountCode, revokeTokens, useToken } from '../../account/tokens.ts';
import { findUserByEmail, findUserById, normalizeEmail, type User } from '../../account/users.ts';
import { self, userActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { ChangeEmailAnswer, EmailChangedAnswer } from '../../contracts/email-change.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict } from '../../errors/app-error.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';

const CODE_MINUTES = 15;
const REQUESTS = { limit: 5, windowMs: HOUR };
const pending = (email: string) => `email:${email}`;
const revert = (email: string) => `revert:${email}`;

/** A cancel link for the old address: it remembers which address to put back. */
async function cancelLink(deps: Deps, tx: Tx, user: User): Promise<string> {
  const token = await issueToken(deps, tx, { purpose: 'email_change_cancel', userId: user.id, boundTo: revert(user.email) });
  return `${deps.config.baseUrl}/email-change/cancel?token=${token}`;
}

export async function requestEmailChange(deps: Deps, user: User, newEmailInput: string, client: ClientInfo): Promise<ChangeEmailAnswer> {
  await enforceRateLimit(deps.throttle, `email-change:${user.id}`, REQUESTS, 'Too many email changes asked for. Try again later.');
  const newEmail = normalizeEmail(newEmailInput);
  if (newEmail === user.email) throw badRequest('invalid_request', 'newEmail: is the address the account has already.');
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    const taken = await findUserByEmail(tx, newEmail);
    if (taken) {
      // No code: nothing can complete the change. An older pending one is withdrawn as a new request would.
      await revokeTokens(tx, { purpose: 'email_change_code', userId: user.id });
      await deps.mail.send(tx, 'email_change_address_taken', taken.email, { at: now, resetUrl: `${deps.config.baseUrl}/forgot-password` });
    } else {
      const code = await issueToken(deps, tx, { purpose: 'email_change_code', userId: user.id, boundTo: pending(newEmail) });
      await deps.mail.send(tx, 'email_change_code', newEmail, { code, minutes: CODE_MINUTES });
    }
    await sendAlert(deps, tx, user, 'email_change_requested', { newEmail, at: now, cancelUrl: await cancelLink(deps, tx, user) });
    await deps.audit.record(tx, { type: 'account.email_change_requested', ...self(user.id), client, data: { addressTaken: taken !== undefined } });
  });
  return { status: 'code_sent', newEmail, expiresAt: new Date(now + CODE_MINUTES * MINUTE).toISOString() };
}

const isUniqueViolation = (error: unknown) => /unique|duplicate key/i.test(error instanceof Error ? error.message : String(error));

export async function confirmEmailChange(deps: Deps, user: User, session: Session, code: string, client: ClientInfo): Promise<EmailChangedAnswer> {
  const invalid = () => badRequest('invalid_code', 'The code is wrong or has expired. Ask for a new one if you need to.');
  const row = await matchAccountCode(deps, deps.store.db, { purpose: 'email_change_code', userId: user.id, code });
  if (!row?.bound_to?.startsWith('email:')) throw invalid();
  const newEmail = row.bound_to.slice('email:'.length);
  try {
    return await inTransaction(deps.store.db, async (tx) => {
      if (!(await useToken(deps, tx, row))) throw invalid();
      if (await findUserByEmail(tx, newEmail)) throw conflict('email_unavailable', 'That address was taken by another account in the meantime. Choose another one.');
      // The alert goes to the old address before the row changes, so it carries the owner's anti-phishing code.
      const { heldUntil } = await securityChanged(deps, tx, {
        kind: 'email_changed',
        subject: user,
        actor: userActor(user.id),
        client,
        keepSessionId: session.id,
        alert: { newEmail, cancelUrl: await cancelLink(deps, tx, user) },
        data: { from: user.email, to: newEmail },
      });
      const now = deps.clock.now();
      await tx.updateTable('users').set({ email: newEmail, email_verified_at: now, updated_at: now }).where('id', '=', user.id).execute();
      return { status: 'email_changed' as const, email: newEmail, withdrawalsHeldUntil: heldUntil === null ? null : new Date(heldUntil).toISOString() };
    });
  } catch (error) {
    // Another account took the address between the check and the update (the unique index).
    if (isUniqueViolation(error)) throw conflict('email_unavailable', 'That address was taken by another account in the meantime. Choose another one.');
    throw error;
  }
}

/** The old address's link: withdraws a pending change or puts the old address back, then locks the account. */
export async function cancelEmailChange(deps: Deps, token: string, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    const row = await consumeToken(deps, tx, { purpose: 'email_change_cancel', secret: token });
    const user = row ? await findUserById(tx, row.user_id) : undefined;
    if (!row?.bound_to?.startsWith('revert:') || !user) throw badRequest('invalid_token', 'This link is not valid: it has expired or was already used.');
    const oldEmail = row.bound_to.slice('revert:'.length);
    await revokeTokens(tx, { purpose: 'email_change_code', userId: user.id });
    await revokeTokens(tx, { purpose: 'email_change_cancel', userId: user.id });
    // The old address goes back unless another account has taken it since (the lock still follows).
    const reverted = user.email !== oldEmail && (await findUserByEmail(tx, oldEmail)) === undefined;
    if (reverted) await tx.updateTable('users').set({ email: oldEmail, updated_at: deps.clock.now() }).where('id', '=', user.id).execute();
    const current = reverted ? { ...user, email: oldEmail } : user;
    await deps.audit.record(tx, { type: 'account.email_change_cancelled', ...self(user.id), client, data: { reverted, ...(reverted ? { from: user.email, to: oldEmail } : {}) } });
    if (current.frozen_at === null) await freezeAccount(deps, tx, current, 'email_link', client);
  });
}
