/** The "unlock my account" link from a password-lock email: single-use; lifts the password lock only. */
import { sendAlert } from '../../account/alerts.ts';
import { unlockAccount } from '../../account/locks.ts';
import { consumeToken } from '../../account/tokens.ts';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { inTransaction } from '../../store/database.ts';
import { invalidLink, linkOwner } from './reset.ts';

export async function unlockWithToken(deps: Deps, input: { token: string }, client: ClientInfo): Promise<void> {
  const { user } = await linkOwner(deps, 'unlock', input.token);
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    if (!(await consumeToken(deps, tx, { purpose: 'unlock', secret: input.token }))) throw invalidLink();
    await sendAlert(deps, tx, user, 'account_unlocked', { at: now });
    await deps.audit.record(tx, { type: 'account.unlocked', ...self(user.id), client, data: { via: 'email_link' } });
  });
  await unlockAccount(deps, user, 'password');
}
