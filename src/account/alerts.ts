/**
 * Security alerts carry a one-click "lock my account" link: single-use, valid 30 days, usable
 * without signing in (the owner may be locked out). Each alert gets its own token.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import type { Tx } from '../store/database.ts';

export const LOCK_LINK_TTL_MS = 30 * 24 * 3_600_000;

export async function lockLink(deps: Deps, tx: Tx, userId: string): Promise<string> {
  const token = randomToken(32);
  const now = deps.clock.now();
  await tx
    .insertInto('one_time_tokens')
    .values({ id: randomUUID(), user_id: userId, purpose: 'freeze', token_hash: hashToken(token), expires_at: now + LOCK_LINK_TTL_MS, used_at: null, created_at: now })
    .execute();
  return `${deps.config.baseUrl}/lock-account?token=${token}`;
}
