/** New backup codes after step-up (checked by the route); the old ones stop working; the owner is alerted. */
import { securityChanged } from '../../account/security-change.ts';
import type { User } from '../../account/users.ts';
import { userActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { inTransaction } from '../../store/database.ts';
import { hasStrongFactor } from '../registry.ts';
import { replaceBackupCodes } from './codes.ts';

export async function regenerateBackupCodes(deps: Deps, user: User, client: ClientInfo): Promise<string[]> {
  const now = deps.clock.now();
  if (!(await hasStrongFactor(deps.store.db, user.id))) throw badRequest('no_second_factor', 'Set up an authenticator app or a passkey first.');
  return inTransaction(deps.store.db, async (tx) => {
    const codes = await replaceBackupCodes(tx, deps.config.codePepper, user.id, now);
    await securityChanged(deps, tx, { kind: 'backup_codes_regenerated', subject: user, actor: userActor(user.id), client, alert: {} });
    return codes;
  });
}
