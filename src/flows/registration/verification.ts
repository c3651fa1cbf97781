/**
 * Email verification: a link (24 hours) and a 6-digit code (15 minutes, 5 wrong tries), both
 * single-use and stored hashed (account/tokens.ts). Sending a new email replaces both, so only
 * the latest works; verifying with either uses up both.
 */
import { issueToken, revokeTokens } from '../../account/tokens.ts';
import type { User } from '../../account/users.ts';
import type { Deps } from '../../deps.ts';
import type { Db, Tx } from '../../store/database.ts';

export async function sendVerification(deps: Deps, tx: Tx, user: User): Promise<void> {
  const token = await issueToken(deps, tx, { purpose: 'email_verification', userId: user.id });
  const code = await issueToken(deps, tx, { purpose: 'email_verification_code', userId: user.id, boundTo: `account:${user.id}` });
  await deps.mail.send(tx, 'verify_email', user.email, { link: `${deps.config.baseUrl}/verify-email?token=${token}`, code });
}

/** The link and the code die together. */
export async function endVerification(db: Db | Tx, userId: string): Promise<void> {
  await revokeTokens(db, { purpose: 'email_verification', userId });
  await revokeTokens(db, { purpose: 'email_verification_code', userId });
}
