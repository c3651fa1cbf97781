/**
 * The account's passkeys: list, rename, remove. Renaming and removing need step-up; removing must leave the account
 * a strong factor (an authenticator app or another enabled passkey); it emails the owner and holds
 * withdrawals.
 */
import type { Deps } from '../../deps.ts';
import { conflict, notFound } from '../../errors/app-error.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { inTransaction } from '../../store/database.ts';
import { hasStrongFactor } from '../registry.ts';
import { securityChanged } from '../../account/security-change.ts';
import { self, userActor } from '../../audit/audit.ts';
import { requireStepUp } from '../step-up-guard.ts';
import type { Session } from '../../account/sessions.ts';
import { lockUser, type User } from '../../account/users.ts';
import { findUserPasskey, listPasskeys, toPublicPasskey, type PublicPasskey } from './credentials.ts';

const passkeyNotFound = () => notFound('passkey_not_found', 'There is no such passkey on your account.');

export async function describePasskeys(deps: Deps, user: User): Promise<PublicPasskey[]> {
  return (await listPasskeys(deps.store.db, user.id)).map(toPublicPasskey);
}

export async function renamePasskey(deps: Deps, user: User, session: Session, id: string, name: string, client: ClientInfo): Promise<PublicPasskey> {
  // A renamed passkey could pass for the owner's own: renaming needs step-up as removing does.
  await requireStepUp(deps, session);
  return inTransaction(deps.store.db, async (tx) => {
    const row = await tx.updateTable('passkeys').set({ name }).where('id', '=', id).where('user_id', '=', user.id).returningAll().executeTakeFirst();
    if (!row) throw passkeyNotFound();
    await deps.audit.record(tx, { type: 'passkey.renamed', ...self(user.id), client, data: { passkeyId: id } });
    return toPublicPasskey(row);
  });
}

export async function removePasskey(deps: Deps, user: User, session: Session, id: string, client: ClientInfo): Promise<void> {
  await requireStepUp(deps, session);
  await inTransaction(deps.store.db, async (tx) => {
    await lockUser(tx, deps.store.dialect, user.id);
    const passkey = await findUserPasskey(tx, user.id, id);
    if (!passkey) throw passkeyNotFound();
    await tx.deleteFrom('passkeys').where('id', '=', passkey.id).execute();
    if (!(await hasStrongFactor(tx, user.id))) {
      throw conflict('last_strong_factor', 'This is your last passkey and you have no authenticator app: add another passkey or an authenticator app first.');
    }
    await securityChanged(deps, tx, {
      kind: 'passkey_removed',
      subject: user,
      actor: userActor(user.id),
      client,
      alert: { name: passkey.name, device: deps.describeDevice(client.userAgent) },
      data: { passkeyId: passkey.id },
    });
  });
}
