/**
 * Recovery (the article's "Forgot Password"): a reset link valid one hour, single-use, stored hashed
 * (account/tokens.ts); a new request withdraws the old link. A reset never bypasses 2FA: an account
 * that has it must also prove a factor that serves the reset purpose (the registry says which: a
 * passkey, the authenticator app or a backup code; never an emailed code, since the link already
 * proves the inbox); three wrong answers use the link up (the mailbox alone buys three guesses per
 * link, and links are limited per address). It ends every session, alerts the owner, holds
 * withdrawals, and lifts the password lock.
 */
import { clearLocks, passwordKey } from '../../account/locks.ts';
import { replacePassword } from '../../account/password.ts';
import { consumeToken, findToken, issueToken, reserveGuess, returnGuess, revokeTokens, type TokenRow } from '../../account/tokens.ts';
import { findUserByEmail, findUserById, lockUser, normalizeEmail, type User } from '../../account/users.ts';
import { ANONYMOUS, anonymous, userActor } from '../../audit/audit.ts';
import { perIpKey, type ClientInfo } from '../../client/client-info.ts';
import { HOUR } from '../../clock.ts';
import type { ResetPasswordBody } from '../../contracts/recovery.ts';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { frozenError } from '../../account/freeze.ts';
import { looksLikeBackupCode } from '../../factors/backup-codes/codes.ts';
import { enforcePasswordPolicy } from '../../factors/password/new-password.ts';
import { prepareFactor, proveFactor } from '../../factors/prove.ts';
import { availableMethods, type SecondFactorId } from '../../factors/registry.ts';
import type { Ceremony, FactorAnswer } from '../../factors/types.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import { isStaffLocked, staffLockedError } from '../../account/staff-lock.ts';
import { carryOutDueResetOf } from '../two-factor-reset/carry-out.ts';

/**
 * Reset emails: 20 an hour per client network, 3 an hour per address *from each network* (a
 * stranger on one network cannot use up its owner's), and 10 an hour per address from all networks
 * together (no inbox is flooded; filling it takes four networks asking all the time). Each email
 * replaces the link before it, so whoever asks, the newest link is in the owner's inbox.
 */
const FORGOT_LIMITS = { perEmail: { limit: 3, windowMs: HOUR }, perIp: { limit: 20, windowMs: HOUR }, perInbox: { limit: 10, windowMs: HOUR } };

export const invalidLink = () => badRequest('invalid_token', 'This link is not valid: it has expired or was already used. Ask for a new one.');

/** The live link of a purpose and its account, or 400 invalid_token. */
export async function linkOwner(deps: Deps, purpose: 'password_reset' | 'unlock', token: string): Promise<{ row: TokenRow; user: User }> {
  const row = await findToken(deps, deps.store.db, purpose, token);
  const user = row ? await findUserById(deps.store.db, row.user_id) : undefined;
  if (!row || !user) throw invalidLink();
  return { row, user };
}

export async function forgotPassword(deps: Deps, input: { email: string }, client: ClientInfo): Promise<void> {
  const email = normalizeEmail(input.email);
  const message = 'A reset email was requested recently. Check your inbox, or try again later.';
  await enforceRateLimit(deps.throttle, perIpKey('forgot-ip', client), FORGOT_LIMITS.perIp, message);
  await enforceRateLimit(deps.throttle, perIpKey(`forgot-email:${email}`, client), FORGOT_LIMITS.perEmail, message);
  await enforceRateLimit(deps.throttle, `forgot-inbox:${email}`, FORGOT_LIMITS.perInbox, message);
  // Known or not, the answer is the same and leaves now: the work for a known address must not show in its time.
  deps.later.run('password reset email', () =>
    inTransaction(deps.store.db, async (tx) => {
      const user = await findUserByEmail(tx, email);
      if (!user) return;
      const token = await issueToken(deps, tx, { purpose: 'password_reset', userId: user.id });
      await deps.mail.send(tx, 'password_reset', user.email, { link: `${deps.config.baseUrl}/reset-password?token=${token}`, minutes: HOUR / 60_000 });
      await deps.audit.record(tx, { type: 'password.reset_requested', ...anonymous(user.id), client });
    }),
  );
}

const ceremony = (row: TokenRow): Ceremony => ({ purpose: 'password_reset', boundTo: `reset:${row.id}`, role: 'second' });

/** Options to confirm a reset with one of the account's passkeys. */
export async function resetPasskeyOptions(deps: Deps, input: { token: string }, client: ClientInfo) {
  const { row, user } = await linkOwner(deps, 'password_reset', input.token);
  return prepareFactor(deps, { factor: 'passkey', user, client, ceremony: ceremony(row), actor: ANONYMOUS });
}

/** The factor a reset came with: a passkey's response, or a code (the authenticator app's, or a backup code by its shape). */
function resetAnswer(input: ResetPasswordBody): { method: SecondFactorId; answer: FactorAnswer } {
  if (input.method === 'passkey' || input.credential) {
    if (!input.credential) throw badRequest('invalid_request', 'credential: is required with method passkey.');
    return { method: 'passkey', answer: { credential: input.credential } };
  }
  const code = input.code ?? '';
  if (!code) throw badRequest('second_factor_required', 'Confirm it is you with your passkey, your authenticator app or a backup code to reset your password.');
  return { method: input.method ?? (looksLikeBackupCode(code) ? 'backup_code' : 'totp'), answer: { code } };
}

export async function resetPassword(deps: Deps, input: ResetPasswordBody, client: ClientInfo): Promise<void> {
  const { row, user } = await linkOwner(deps, 'password_reset', input.token);
  // A lost-2FA reset due now is carried out first: the old factor never confirms a password reset.
  await carryOutDueResetOf(deps, user.id);
  // The owner locked the account: no security change until they unlock it.
  if (user.frozen_at !== null) throw frozenError(deps, user);
  // Support locked it: no security change until support lifts the lock.
  if (isStaffLocked(user)) throw staffLockedError();
  const password = enforcePasswordPolicy(deps, input.password, user.email);
  const passwordHash = await deps.passwords.hash(password);

  const apply = async (tx: Tx) => {
    // A freeze or staff lock that committed while this reset was on its way stops it too.
    await lockUser(tx, deps.store.dialect, user.id);
    const current = await findUserById(tx, user.id);
    if (current?.frozen_at != null) throw frozenError(deps, current);
    if (current && isStaffLocked(current)) throw staffLockedError();
    if (!(await consumeToken(deps, tx, { purpose: 'password_reset', secret: input.token }))) throw invalidLink();
    await revokeTokens(tx, { purpose: 'password_reset', userId: user.id, exceptId: row.id });
    await replacePassword(deps, tx, { user, passwordHash, kind: 'password_reset', actor: userActor(user.id), client, data: { sessionsEnded: true } });
  };

  if ((await availableMethods(deps.store.db, user.id)).length > 0) {
    const { method, answer } = resetAnswer(input);
    // The guess counts on the link before it is checked (parallel guesses get no more than three);
    // given back unless it was a wrong answer (a lock, a stale passkey challenge, a refused reset).
    if (!(await reserveGuess(deps.store.db, row))) throw invalidLink();
    let wrong = false;
    const onFailure = async () => {
      wrong = true;
    };
    await proveFactor(deps, { factor: method, ceremony: ceremony(row), user, answer, client, actor: ANONYMOUS, onSuccess: apply, onFailure }).catch(async (error: unknown) => {
      if (!wrong) await returnGuess(deps.store.db, row);
      throw error;
    });
  } else {
    await inTransaction(deps.store.db, apply);
  }
  // Proving the email and the second factor is proof enough to lift the password lock (the factor's
  // own success cleared its count; a strong one lifted the others' hard locks).
  await clearLocks(deps, [passwordKey(user.email)]);
}
