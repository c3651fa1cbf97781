/**
 * Changing the account's email address (OWASP ASVS 5.0 V6.3: the new address proves it receives
 * mail; the old one is told and can undo it). Asked for with a fresh step-up: a code goes to the
 * new address and a notice with "cancel — this wasn't me" to the old one. The answer and the work
 * are the same whether or not the new address is taken (by an account, or reserved by another's
 * recent change): its owner is told by email instead, and the code issued can finish nothing.
 * The code works only in the session that asked. Entering it makes the change: the security-change
 * table ends the other sessions and holds withdrawals, links sent to the old address die, and the
 * old address gets the alert with a cancel link that for 7 days reserves it, puts it back and locks
 * the account.
 */
import { HOUR, isoTime, MINUTE } from '../../clock.ts';
import { sendAlert } from '../../account/alerts.ts';
import { reservedFor, revertBinding } from '../../account/email-reservations.ts';
import { frozenError, freezeAccount } from '../../account/freeze.ts';
import { securityChanged } from '../../account/security-change.ts';
import type { Session } from '../../account/sessions.ts';
import { isStaffLocked, staffLockedError } from '../../account/staff-lock.ts';
import { consumeToken, issueToken, matchAccountCode, revokeTokens, useToken, type TokenPurpose } from '../../account/tokens.ts';
import { findUserByEmail, findUserById, lockUser, normalizeEmail, type User } from '../../account/users.ts';
import { self, userActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { ChangeEmailAnswer, EmailChangedAnswer } from '../../contracts/email-change.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict } from '../../errors/app-error.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';

const CODE_MINUTES = 15;
const REQUESTS = { limit: 5, windowMs: HOUR };
const CONFIRMS = { limit: 10, windowMs: HOUR };
/** The code is bound to the session that asked and the address it proves; a taken address gets a dead binding. */
const pending = (sessionId: string, email: string) => `change:${sessionId}:${email}`;
const deadBinding = (sessionId: string) => `void:${sessionId}`;
/** Links and codes mailed to an address the account no longer has die with the change. */
const SENT_TO_THE_ADDRESS: TokenPurpose[] = ['password_reset', 'unlock', 'email_verification', 'email_verification_code'];

const unavailable = () => conflict('email_unavailable', 'That address was taken by another account in the meantime. Choose another one.');

/** A cancel link for the old address: it remembers (and reserves) the address to put back. */
async function cancelLink(deps: Deps, tx: Tx, user: User): Promise<string> {
  const token = await issueToken(deps, tx, { purpose: 'email_change_cancel', userId: user.id, boundTo: revertBinding(user.email) });
  return `${deps.config.baseUrl}/email-change/cancel?token=${token}`;
}

/** The account, locked for this transaction and read again (a freeze or staff lock may have just committed). */
async function lockedAccount(deps: Deps, tx: Tx, userId: string): Promise<User> {
  await lockUser(tx, deps.store.dialect, userId);
  const user = await findUserById(tx, userId);
  if (!user) throw badRequest('invalid_token', 'This link is not valid: it has expired or was already used.');
  return user;
}

/** Reserved by another account's recent change (the account's own old address it may take back). */
async function reservedByAnother(tx: Tx, userId: string, email: string, now: number): Promise<boolean> {
  const owner = await reservedFor(tx, email, now);
  return owner !== undefined && owner !== userId;
}

async function revokeSentTo(tx: Tx, userId: string): Promise<void> {
  for (const purpose of SENT_TO_THE_ADDRESS) await revokeTokens(tx, { purpose, userId });
}

export async function requestEmailChange(deps: Deps, user: User, session: Session, newEmailInput: string, client: ClientInfo): Promise<ChangeEmailAnswer> {
  await enforceRateLimit(deps.throttle, `email-change:${user.id}`, REQUESTS, 'Too many email changes asked for. Try again later.');
  const newEmail = normalizeEmail(newEmailInput);
  if (newEmail === user.email) throw badRequest('invalid_request', 'newEmail: is the address the account has already.');
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    const taken = (await findUserByEmail(tx, newEmail)) !== undefined || (await reservedByAnother(tx, user.id, newEmail, now));
    // A code either way (the same work), but one for a taken address finishes nothing.
    const code = await issueToken(deps, tx, { purpose: 'email_change_code', userId: user.id, boundTo: taken ? deadBinding(session.id) : pending(session.id, newEmail) });
    if (taken) await deps.mail.send(tx, 'email_change_address_taken', newEmail, { at: now, resetUrl: `${deps.config.baseUrl}/forgot-password` });
    else await deps.mail.send(tx, 'email_change_code', newEmail, { code, minutes: CODE_MINUTES });
    await sendAlert(deps, tx, user, 'email_change_requested', { newEmail, at: now, cancelUrl: await cancelLink(deps, tx, user) });
    await deps.audit.record(tx, { type: 'account.email_change_requested', ...self(user.id), client, data: { addressTaken: taken } });
  });
  return { status: 'code_sent', newEmail, expiresAt: new Date(now + CODE_MINUTES * MINUTE).toISOString() };
}

export async function confirmEmailChange(deps: Deps, user: User, session: Session, code: string, client: ClientInfo): Promise<EmailChangedAnswer> {
  await enforceRateLimit(deps.throttle, `email-change-confirm:${user.id}`, CONFIRMS, 'Too many codes tried. Try again later.');
  const invalid = () => badRequest('invalid_code', 'The code is wrong or has expired. Ask for a new one if you need to.');
  const row = await matchAccountCode(deps, deps.store.db, { purpose: 'email_change_code', userId: user.id, code });
  const prefix = `change:${session.id}:`;
  if (!row?.bound_to?.startsWith(prefix)) throw invalid();
  const newEmail = row.bound_to.slice(prefix.length);
  return inTransaction(deps.store.db, async (tx) => {
    const current = await lockedAccount(deps, tx, user.id);
    if (current.frozen_at !== null) throw frozenError(deps, current);
    if (isStaffLocked(current)) throw staffLockedError();
    if (!(await useToken(deps, tx, row))) throw invalid();
    if ((await findUserByEmail(tx, newEmail)) || (await reservedByAnother(tx, current.id, newEmail, deps.clock.now()))) throw unavailable();
    // The alert goes to the old address before the row changes, so it carries the owner's anti-phishing code.
    const { heldUntil } = await securityChanged(deps, tx, {
      kind: 'email_changed',
      subject: current,
      actor: userActor(current.id),
      client,
      keepSessionId: session.id,
      alert: { newEmail, cancelUrl: await cancelLink(deps, tx, current) },
      data: { from: current.email, to: newEmail },
    });
    await revokeSentTo(tx, current.id);
    const now = deps.clock.now();
    await tx.updateTable('users').set({ email: newEmail, email_verified_at: now, updated_at: now }).where('id', '=', current.id).execute();
    return { status: 'email_changed' as const, email: newEmail, withdrawalsHeldUntil: isoTime(heldUntil) };
  });
}

/**
 * The old address's link: withdraws a pending change, or puts the old address back, then locks the
 * account. Putting it back also undoes what came after it: later cancel links die (so a link the new
 * address got cannot move the account away again), links mailed to the other address die, and the
 * anti-phishing code, which that address has seen, is cleared. Earlier links (older addresses) stay.
 */
export async function cancelEmailChange(deps: Deps, token: string, client: ClientInfo): Promise<{ reverted: boolean }> {
  return inTransaction(deps.store.db, async (tx) => {
    const row = await consumeToken(deps, tx, { purpose: 'email_change_cancel', secret: token });
    if (!row?.bound_to?.startsWith('revert:')) throw badRequest('invalid_token', 'This link is not valid: it has expired or was already used.');
    const user = await lockedAccount(deps, tx, row.user_id);
    const oldEmail = row.bound_to.slice('revert:'.length);
    await revokeTokens(tx, { purpose: 'email_change_code', userId: user.id });
    // The address was reserved for this link; an account holding it anyway (none can) keeps it, and the lock still follows.
    const reverted = user.email !== oldEmail && (await findUserByEmail(tx, oldEmail)) === undefined;
    const now = deps.clock.now();
    if (reverted) {
      await tx.updateTable('users').set({ email: oldEmail, anti_phishing_sealed: null, updated_at: now }).where('id', '=', user.id).execute();
      await tx.deleteFrom('one_time_tokens').where('user_id', '=', user.id).where('purpose', '=', 'email_change_cancel').where('created_at', '>', row.created_at).execute();
      await revokeSentTo(tx, user.id);
    }
    const current = reverted ? { ...user, email: oldEmail, anti_phishing_sealed: null } : user;
    await deps.audit.record(tx, { type: 'account.email_change_cancelled', ...self(user.id), client, data: { reverted, ...(reverted ? { from: user.email, to: oldEmail, antiPhishingCodeCleared: user.anti_phishing_sealed !== null } : {}) } });
    if (current.frozen_at === null) await freezeAccount(deps, tx, current, 'email_link', client);
    return { reverted };
  });
}
