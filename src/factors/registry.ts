/**
 * Which second factors an account has. Strong factors (an authenticator app, an enabled passkey)
 * satisfy step-up and may unfreeze an account; an emailed code or a backup code completes a
 * sign-in but is never strong.
 */
import type { Db, Tx } from '../store/database.ts';
import { countEnabledPasskeys, hasAnyPasskey } from './passkey/credentials.ts';
import { remainingBackupCodes } from './backup-codes/codes.ts';
import { confirmedTotp } from './totp/credentials.ts';

export type FactorMethod = 'passkey' | 'totp' | 'email_code' | 'backup_code';
export type StrongMethod = 'passkey' | 'totp';
export const STRONG_METHODS: ReadonlySet<FactorMethod> = new Set<FactorMethod>(['passkey', 'totp']);

/** The strong factors the account can use now, passkey first. */
export async function strongMethods(db: Db | Tx, userId: string): Promise<StrongMethod[]> {
  const methods: StrongMethod[] = [];
  if ((await countEnabledPasskeys(db, userId)) > 0) methods.push('passkey');
  if (await confirmedTotp(db, userId)) methods.push('totp');
  return methods;
}

export async function hasStrongFactor(db: Db | Tx, userId: string): Promise<boolean> {
  return (await strongMethods(db, userId)).length > 0;
}

/**
 * The second-factor methods a user can sign in with, in the order a UI should offer them; empty
 * when the account has not set up two-factor authentication yet. An account whose only passkey
 * was disabled (a possible copy) keeps its emailed code and backup codes: it has 2FA, and must
 * not fall back to the enroll-anything path of a new account.
 */
export async function availableMethods(db: Db | Tx, userId: string): Promise<FactorMethod[]> {
  const strong = await strongMethods(db, userId);
  if (strong.length === 0 && !(await hasAnyPasskey(db, userId))) return [];
  const methods: FactorMethod[] = [...strong, 'email_code'];
  if ((await remainingBackupCodes(db, userId)) > 0) methods.push('backup_code');
  return methods;
}
