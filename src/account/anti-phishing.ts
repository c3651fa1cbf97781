/**
 * The anti-phishing code: a phrase the owner chooses (4–20 letters, digits, _ or -) that appears at
 * the top of every email Bastion sends them, so a fake email stands out. Stored sealed. Setting,
 * changing or removing it needs step-up, emails the owner and holds withdrawals for 24 hours.
 */
import type { Deps } from '../deps.ts';
import { badRequest } from '../errors/app-error.ts';
import type { ClientInfo } from '../http/request-context.ts';
import type { AntiPhishingLookup } from '../mail/outbox.ts';
import { inTransaction } from '../store/database.ts';
import { findUserByEmail, type User } from './users.ts';
import { lockLink } from './alerts.ts';
import { holdWithdrawals } from './holds.ts';

export const ANTI_PHISHING_PATTERN = /^[A-Za-z0-9_-]{4,20}$/;
const context = (userId: string) => `anti-phishing:${userId}`;

/** What the mail layout calls to fill its anti-phishing slot. */
export function antiPhishingLookup(keyring: Deps['keyring']): AntiPhishingLookup {
  return async (tx, email) => {
    const user = await findUserByEmail(tx, email);
    return user?.anti_phishing_sealed ? keyring.openText(user.anti_phishing_sealed, context(user.id)) : null;
  };
}

export async function setAntiPhishingCode(deps: Deps, user: User, code: string | null, client: ClientInfo): Promise<void> {
  if (code !== null && !ANTI_PHISHING_PATTERN.test(code)) {
    throw badRequest('invalid_anti_phishing_code', 'code: use 4 to 20 letters, digits, _ or -.');
  }
  // Removing a code that is not set changes nothing: no email, no hold.
  if (code === null && user.anti_phishing_sealed === null) return;
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    await tx
      .updateTable('users')
      .set({ anti_phishing_sealed: code === null ? null : deps.keyring.seal(code, context(user.id)), updated_at: now })
      .where('id', '=', user.id)
      .execute();
    const heldUntil = await holdWithdrawals(deps, tx, user.id, code === null ? 'anti_phishing_removed' : 'anti_phishing_changed');
    await deps.mail.send(tx, 'anti_phishing_changed', user.email, { at: now, code, lockUrl: await lockLink(deps, tx, user.id) });
    await deps.audit.record(tx, {
      type: code === null ? 'security.anti_phishing_removed' : 'security.anti_phishing_changed',
      userId: user.id,
      ip: client.ip,
      userAgent: client.userAgent,
      data: { withdrawalsHeldUntil: heldUntil },
    });
  });
}
