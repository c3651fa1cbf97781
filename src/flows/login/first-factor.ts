/**
 * The first step of a sign-in, whichever factor names the account (the password, or a passkey
 * alone): one sequence for both (NIST SP 800-63B rev 4 §3.2.2, OWASP ASVS 5.0 V6.3).
 * - every client IP has a sliding-window limit across all accounts (credential stuffing) → 429;
 * - a locked factor is answered with its unlock time before anything is checked (the password's
 *   lock stops the password, a passkey's its own: a guesser of passwords does not keep out the
 *   owner's passkey);
 * - otherwise the factor is proved under its lock (factors/prove.ts): an attempt is reserved before
 *   the secret is checked, and every refusal looks like a wrong password.
 * Each refusal is an audit event (`login.failed` with its reason) and an entry in login activity.
 */
import { recordAttempt } from '../../account/activity.ts';
import { refuseIfLocked } from '../../account/locks.ts';
import { findUserByEmail, normalizeEmail, type User } from '../../account/users.ts';
import { ANONYMOUS, anonymous } from '../../audit/audit.ts';
import { perIpKey, type ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { lockOf } from '../../factors/locks.ts';
import { proveFactor } from '../../factors/prove.ts';
import { factorById, type FactorId } from '../../factors/registry.ts';
import type { FactorAnswer, Purpose } from '../../factors/types.ts';
import type { LoginActivityTable } from '../../store/schema.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import { carryOutDueResetOf } from '../two-factor-reset/carry-out.ts';

/** The id no account has (accounts get random UUIDs, never the nil one). */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

export const IP_LIMIT_MESSAGE = 'Too many sign-in attempts from your network. Try again later.';

/** The method login activity shows for a first factor: a passkey by name, the password as none. */
const activityMethod = (factor: FactorId) => (factorById(factor).memorized ? null : factor);

/** The per-IP limit every sign-in attempt counts toward, whatever its factor. */
export const limitSignInsFromIp = (deps: Deps, client: ClientInfo) => enforceRateLimit(deps.throttle, perIpKey('login-ip', client), deps.config.loginIpLimit, IP_LIMIT_MESSAGE);

/**
 * Records a refused sign-in: the audit event (with its reason) in `tx` and, for an account, its login
 * activity. A refusal an address without an account gets alike (a wrong password, a locked address)
 * writes the activity row after the answer (`afterAnswer`): a row only an account has would show in
 * the answer's time (OWASP ASVS V6.3.8). The lock's count and the audit event stay in the transaction.
 */
export async function recordRefusal(
  deps: Deps,
  tx: Tx,
  input: { factor: FactorId; user: User | undefined; client: ClientInfo; reason: string; result: LoginActivityTable['result']; purpose?: Purpose },
  options: { afterAnswer?: boolean } = {},
): Promise<void> {
  const method = activityMethod(input.factor);
  const purpose = input.purpose && input.purpose !== 'sign_in' ? { purpose: input.purpose } : {};
  await deps.audit.record(tx, { type: 'login.failed', ...anonymous(input.user?.id ?? null), client: input.client, data: { reason: input.reason, ...(method ? { method } : {}), ...purpose } });
  if (input.user) {
    const attempt = { userId: input.user.id, client: input.client, result: input.result, method, purpose: input.purpose ?? 'sign_in', at: deps.clock.now() };
    if (options.afterAnswer) deps.later.run('sign-in refusal activity', () => recordAttempt(deps, deps.store.db, attempt));
    else await recordAttempt(deps, tx, attempt);
  }
  // An address without an account has no login activity, but an attack on many addresses shows here.
  else deps.metrics.attempts.inc({ purpose: input.purpose ?? 'sign_in', result: input.result, method: method ?? 'password' });
}

export interface FirstFactor<T> {
  factor: FactorId;
  /** The address the attempt names (its lock), and its account if there is one. */
  email: string;
  user: User | undefined;
  /** The account a refusal is recorded against when the factor is checked as for none (one not yet verified). */
  recordAs?: User | undefined;
  client: ClientInfo;
  answer: FactorAnswer;
  /** What the ceremony is bound to (a passkey's browser challenge). */
  boundTo: string;
  /** A sign-in, unless said (the password that opens a lost-2FA reset request: `recovery`). */
  purpose?: Purpose;
  /** The audit reason and activity result of a refusal. */
  refused: (why: string | undefined) => { reason: string; result: LoginActivityTable['result'] };
  onSuccess: (tx: Tx) => Promise<T>;
}

/** Proves the first factor of a sign-in: refused when locked, counted toward the address's lock, recorded either way. */
export async function proveFirstFactor<T>(deps: Deps, input: FirstFactor<T>): Promise<T> {
  const purpose = input.purpose ?? 'sign_in';
  // A locked account is refused before anything is checked, with its unlock time; the refusal is
  // recorded after the answer, so a locked account is answered in the time a locked unknown address is.
  // Only this factor's lock: a passkey (both factors in one) still signs in while the password is locked.
  const lock = lockOf(factorById(input.factor), input.user, input.email, purpose);
  await refuseIfLocked(deps, lock ? [lock.key] : [], async () =>
    deps.later.run('locked sign-in refusal', () =>
      inTransaction(deps.store.db, (tx) => recordRefusal(deps, tx, { factor: input.factor, user: input.user, client: input.client, reason: 'locked', result: 'locked', purpose })),
    ),
  );
  // A lost-2FA reset whose wait is over is carried out next: a factor due to go never signs in. An
  // address without an account looks for the reset of no account, as the dummy hash stands in for its
  // password: the lookup must not show in the answer's time.
  await carryOutDueResetOf(deps, input.user?.id ?? NO_ACCOUNT);
  return proveFactor(deps, {
    factor: input.factor,
    ceremony: { purpose, boundTo: input.boundTo, role: 'first' },
    user: input.user,
    email: input.email,
    answer: input.answer,
    client: input.client,
    actor: ANONYMOUS,
    onSuccess: input.onSuccess,
    onFailure: (tx, why) =>
      recordRefusal(deps, tx, { factor: input.factor, user: input.user ?? input.recordAs, client: input.client, ...input.refused(why), purpose }, { afterAnswer: true }),
  });
}

/**
 * The password names the account (a sign-in's first step, or the first proof of a 2FA recovery):
 * proved under the address's lock, an address without an account refused alike. Returns the account.
 *
 * An account whose address is not verified yet is checked as an address without one: a dummy hash,
 * a failure on the address's lock, the wrong password's answer. Otherwise a sign-up with a free
 * address and then a sign-in with the password just chosen would tell a free address (an account
 * not yet verified) from a taken one (a wrong password). Its owner is pointed to the verification
 * email by the sign-in page, and the refusal is recorded against the account (email_not_verified).
 */
export async function provePassword(deps: Deps, input: { email: string; password: string; purpose?: Purpose }, client: ClientInfo): Promise<User> {
  const email = normalizeEmail(input.email);
  const found = await findUserByEmail(deps.store.db, email);
  const verified = found?.email_verified_at != null ? found : undefined;
  await proveFirstFactor(deps, {
    factor: 'password',
    email,
    user: verified,
    recordAs: found,
    client,
    answer: { password: input.password },
    boundTo: `address:${email}`,
    refused: () => ({ reason: verified ? 'wrong_password' : found ? 'email_not_verified' : 'unknown_email', result: 'wrong_password' }),
    onSuccess: async () => undefined,
    ...(input.purpose ? { purpose: input.purpose } : {}),
  });
  return verified as User;
}
