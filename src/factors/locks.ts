/**
 * The locks of an account's factors (account/locks.ts holds the policy and the keys): which lock an
 * answer counts toward, which code locks an account has, and who lifts them.
 *
 * - A typed password counts toward its address's password lock; every other guessable factor toward
 *   its own lock on the account, so a count is cleared only by its own factor's success. A passkey
 *   has none: its signature cannot be guessed (refusals are recorded, and limited per IP and flow).
 * - A code proved to open a lost-2FA request counts on a lock of its own that is never hard: that
 *   request is how an owner who lost their strong factors lifts a hard lock, so no one may shut it
 *   by hard-locking the emailed code at sign-in (the request only opens a case for support).
 * - A hard lock of a second factor is lifted by the owner's other strong factor (a passkey or the
 *   authenticator app: they are here), its escalation kept, so ten more wrong attempts lock it hard
 *   again. The new-device and verification codes are not: whoever guesses a new-device code has
 *   passed a second factor already; their links keep working, and support or a 2FA reset lifts them.
 * - Support and a carried-out 2FA reset remove the locks with their counts.
 */
import { clearLocks, CODE_LOCKOUT, deviceCodeKey, factorKey, passwordKey, PASSWORD_LOCKOUT, REVIEWED_CODE_LOCKOUT, verificationCodeKey, type AttemptLock } from '../account/locks.ts';
import type { User } from '../account/users.ts';
import type { Deps } from '../deps.ts';
import { isHardLock } from '../throttle/throttle.ts';
import { FACTORS } from './registry.ts';
import type { Factor, Purpose } from './types.ts';

/** The key of a factor's lock when proved to open a lost-2FA request. */
const recoveryKey = (userId: string, factorId: string) => factorKey(userId, `${factorId}:recovery`);

/** The lock an answer counts toward (see above), or null for an answer that cannot be guessed. */
export function lockOf(factor: Factor, user: User | undefined, email: string | undefined, purpose: Purpose): AttemptLock | null {
  if (factor.memorized) return { key: passwordKey(email ?? user!.email), policy: PASSWORD_LOCKOUT, kind: 'password' };
  if (!factor.guessable) return null;
  if (!user) throw new Error(`${factor.id} is checked against a known account`);
  if (purpose === 'recovery') return { key: recoveryKey(user.id, factor.id), policy: REVIEWED_CODE_LOCKOUT, kind: { method: factor.label, otherFactorLifts: false } };
  return { key: factorKey(user.id, factor.id), policy: CODE_LOCKOUT, kind: { method: factor.label, otherFactorLifts: true } };
}

/** The factors with a lock of their own on the account, and those of them that can open a lost-2FA request. */
const LOCKED = FACTORS.filter((f) => !f.memorized && f.guessable);
const RECOVERING = LOCKED.filter((f) => f.purposes.has('recovery'));

/** Every code lock of an account, by method: each factor's but the password's, then the new-device and verification codes'. */
export function codeLocks(user: User): { method: string; key: string }[] {
  return [
    ...LOCKED.map((f) => ({ method: f.id as string, key: factorKey(user.id, f.id) })),
    ...RECOVERING.map((f) => ({ method: `${f.id}:recovery`, key: recoveryKey(user.id, f.id) })),
    { method: 'device_code', key: deviceCodeKey(user.id) },
    { method: 'email_verification_code', key: verificationCodeKey(user.email) },
  ];
}

export interface CodeLockState {
  method: string;
  /** When it ends; null for a hard lock (it does not end by itself). */
  until: number | null;
  hard: boolean;
}

/** The code locks of the account that are on now. */
export async function activeCodeLocks(deps: Deps, user: User): Promise<CodeLockState[]> {
  const states = await Promise.all(
    codeLocks(user).map(async ({ method, key }) => {
      const until = await deps.throttle.lockedUntil(key);
      return until === null ? null : { method, until: isHardLock(until) ? null : until, hard: isHardLock(until) };
    }),
  );
  return states.filter((s): s is CodeLockState => s !== null);
}

/** Removes every code lock of the account with its counts, and the password lock too when asked (support). */
export async function clearAccountLocks(deps: Deps, user: User, options: { password: boolean }): Promise<void> {
  await clearLocks(deps, [...(options.password ? [passwordKey(user.email)] : []), ...codeLocks(user).map((l) => l.key)]);
}

/** After a strong factor's success: lifts the hard locks of the account's other factors (their escalation kept). */
export async function liftHardLocksBesides(deps: Deps, user: User, factor: Factor): Promise<void> {
  for (const other of LOCKED) {
    if (other.id === factor.id) continue;
    const key = factorKey(user.id, other.id);
    if (isHardLock(await deps.throttle.lockedUntil(key))) await deps.throttle.lift(key);
  }
}
