/**
 * Email verification: a link (24 hours) and a 6-digit code (15 minutes), both single-use and stored
 * hashed. Sending a new one deletes the old, so only the latest email works.
 */
import { randomUUID } from 'node:crypto';
import { HOUR, MINUTE } from '../../clock.ts';
import type { Deps } from '../../deps.ts';
import { hashCode, hashToken, randomDigits, randomToken } from '../../crypto/tokens.ts';
import type { Tx } from '../../store/database.ts';
import type { User } from '../../account/users.ts';

export const LINK_TTL_MS = 24 * HOUR;
export const CODE_TTL_MS = 15 * MINUTE;
export const CODE_MAX_ATTEMPTS = 5;

export const codeScope = (verificationId: string) => `verify-email:${verificationId}`;

export async function sendVerification(deps: Deps, tx: Tx, user: User): Promise<void> {
  const now = deps.clock.now();
  const token = randomToken(32);
  const code = randomDigits(6);
  const id = randomUUID();
  await tx.deleteFrom('email_verifications').where('user_id', '=', user.id).execute();
  await tx
    .insertInto('email_verifications')
    .values({
      id,
      user_id: user.id,
      token_hash: hashToken(token),
      code_hash: hashCode(deps.config.sessionSecret, codeScope(id), code),
      link_expires_at: now + LINK_TTL_MS,
      code_expires_at: now + CODE_TTL_MS,
      code_attempts: 0,
      created_at: now,
    })
    .execute();
  await deps.mail.send(tx, 'verify_email', user.email, { link: `${deps.config.baseUrl}/verify-email?token=${token}`, code });
}
