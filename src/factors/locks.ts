/**
 * The locks of an account's factors (account/locks.ts holds the policy and the keys): which lock an
 * answer counts toward, which code locks an account has, and who lifts them.
 *
 * - A typed password counts toward its address's password lock; every other factor toward its own
 *   lock on the account (a passkey's too, whether it signs in alone or as the second step), so a
 *   count is cleared only by its own factor's success.
 * - A hard lock of a second factor is lifted by the owner's other strong factor (a passkey or the
 *   authenticator app: they are here), its escalation kept, so ten more wrong attempts lock it hard
 *   again. The new-device and verification codes are not: whoever guesses a new-device code has
 *   passed a second factor already; their links keep working, and support or a 2FA reset lifts them.
 * - Support and a carried-out 2FA reset remove the locks with their counts.
 */
import { clearLocks, CODE_LOCKOUT, deviceCodeKey, factorKey, passwordKey, PASSWORD_LOCKOUT, SIGNATURE_LOCKOUT, verificationCodeKey, type LockKind } from '../account/locks.ts';
import type { User } from '../account/users.ts';
import type { Deps } from '../deps.ts';
import type { LockoutPolicy } from '../throttle/index.ts';
import { isHardLock } from '../throttle/throttle.ts';
import { FACTORS } from './registry.ts';
import type { Factor } from './types.ts';

export interface FactorLock {
  key: string;
  policy: LockoutPolicy;
  kind: LockKind;
}

/** The lock an answer counts toward: a typed password its address's, any other factor its own on the account. */
export function lockOf(factor: Factor, user: User | undefined, email: string | undefined): FactorLock {
  if (factor.memorized) return { key: passwordKey(email ?? user!.email), policy: PASSWORD_LOCKOUT, kind: 'password' };
  if (!user) throw new Error(`${factor.id} is checked against a known account`);
  return { key: factorKey(user.id, factor.id), policy: factor.guessable ? CODE_LOCKOUT : SIGNATURE_LOCKOUT, kind: { method: factor.label } };
}

const NOT_TYPED = FACTORS.filter((f) => !f.memorized);

/** Every code lock of an account, by method: each factor's but the password's, then the new-device and verification codes'. */
export function codeLocks(user: User): { method: string; key: string }[] {
  return [
    ...NOT_TYPED.map((f) => ({ method: f.id as string, key: factorKey(user.id, f.id) })),
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
  for (const other of NOT_TYPED) {
    if (other.id === factor.id) continue;
    const key = factorKey(user.id, other.id);
    if (isHardLock(await deps.throttle.lockedUntil(key))) await deps.throttle.lift(key);
  }
}
