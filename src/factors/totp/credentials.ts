/**
 * The user's authenticator-app credential: the TOTP secret sealed at rest (AES-256-GCM, bound to the
 * user), and the last accepted time step so that no code is ever accepted twice.
 */
import type { Keyring } from '../../crypto/encryption.ts';
import type { Db, Tx } from '../../store/database.ts';
import { precompile } from '../../store/precompiled.ts';
import type { ExpressionBuilder } from 'kysely';
import type { Database, TotpCredentialsTable } from '../../store/schema.ts';
import { verifyTotp } from './otp.ts';

export type TotpCredential = TotpCredentialsTable;

export const secretContext = (userId: string) => `totp:${userId}`;

/** Whether the account has a confirmed authenticator app (0 or 1): a subquery of the factors' status statement. */
export const totpCounts = (eb: ExpressionBuilder<Database, never>, userId: string) => ({
  confirmed: eb.selectFrom('totp_credentials').select((q) => q.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('confirmed_at', 'is not', null).$asScalar(),
});

/** The confirmed credential itself, which every sign-in with a code checks: compiled once. */
const confirmed = precompile(1, (db, userId: string) => db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).where('confirmed_at', 'is not', null).limit(1));

export async function confirmedTotp(db: Db | Tx, userId: string): Promise<TotpCredential | undefined> {
  return (await confirmed(db, userId))[0];
}

export function pendingTotp(db: Db | Tx, userId: string): Promise<TotpCredential | undefined> {
  return db
    .selectFrom('totp_credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The time step a code matches for this credential, or null. Does not record it. */
export function matchTotp(keyring: Keyring, credential: TotpCredential, code: string, now: number): number | null {
  const secret = keyring.open(credential.secret_sealed, secretContext(credential.user_id));
  return verifyTotp(secret, code, now, credential.last_used_step);
}

/**
 * Records that `step` was used. Conditional on no later step having been used meanwhile, so two
 * requests racing with the same code cannot both succeed.
 */
export async function recordStep(tx: Db | Tx, credentialId: string, step: number): Promise<boolean> {
  const updated = await tx
    .updateTable('totp_credentials')
    .set({ last_used_step: step })
    .where('id', '=', credentialId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}
