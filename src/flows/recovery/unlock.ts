/**
 * The "unlock my account" link from a password-lock email: single-use; lifts the password lock only,
 * and keeps its escalation (account/locks.ts), so whoever caused the lock gets no fresh start. The
 * link page first shows what is locked and since when (a read that leaves the link usable) and
 * unlocks only when its button is pressed: a mail scanner that opens links must not lift a lock.
 */
import { sendAlert } from '../../account/alerts.ts';
import { passwordKey, unlockPassword } from '../../account/locks.ts';
import { consumeToken } from '../../account/tokens.ts';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { inTransaction } from '../../store/database.ts';
import { invalidLink, linkOwner } from './reset.ts';

export interface UnlockPreview {
  email: string;
  /** When the lock began (the link was issued with it); when it ends by itself, or null once it has. */
  lockedAt: number;
  lockedUntil: number | null;
}

/** What the link would unlock; 400 invalid_token for a link that is used, expired or not an unlock link. */
export async function previewUnlock(deps: Deps, input: { token: string }): Promise<UnlockPreview> {
  const { row, user } = await linkOwner(deps, 'unlock', input.token);
  return { email: user.email, lockedAt: row.created_at, lockedUntil: await deps.throttle.lockedUntil(passwordKey(user.email)) };
}

export async function unlockWithToken(deps: Deps, input: { token: string }, client: ClientInfo): Promise<void> {
  const { user } = await linkOwner(deps, 'unlock', input.token);
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    if (!(await consumeToken(deps, tx, { purpose: 'unlock', secret: input.token }))) throw invalidLink();
    await sendAlert(deps, tx, user, 'account_unlocked', { at: now });
    await deps.audit.record(tx, { type: 'account.unlocked', ...self(user.id), client, data: { via: 'email_link' } });
  });
  await unlockPassword(deps, user);
}
