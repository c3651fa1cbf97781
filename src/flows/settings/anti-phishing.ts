/**
 * Setting, changing or removing the anti-phishing code (account/anti-phishing.ts) from security
 * settings: needs step-up (checked by the route), and is a security change (the owner is alerted,
 * withdrawals are held).
 */
import { ANTI_PHISHING_PATTERN, sealAntiPhishingCode } from '../../account/anti-phishing.ts';
import { securityChanged } from '../../account/security-change.ts';
import type { User } from '../../account/users.ts';
import { userActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { inTransaction } from '../../store/database.ts';

export async function setAntiPhishingCode(deps: Deps, user: User, code: string | null, client: ClientInfo): Promise<void> {
  if (code !== null && !ANTI_PHISHING_PATTERN.test(code)) {
    throw badRequest('invalid_anti_phishing_code', 'code: use 4 to 20 letters, digits, _ or -.');
  }
  // Removing a code that is not set changes nothing: no email, no hold.
  if (code === null && user.anti_phishing_sealed === null) return;
  const now = deps.clock.now();
  await inTransaction(deps.store.db, async (tx) => {
    await tx.updateTable('users').set({ anti_phishing_sealed: sealAntiPhishingCode(deps.keyring, user.id, code), updated_at: now }).where('id', '=', user.id).execute();
    await securityChanged(deps, tx, { kind: code === null ? 'anti_phishing_removed' : 'anti_phishing_changed', subject: user, actor: userActor(user.id), client, alert: { code } });
  });
}
