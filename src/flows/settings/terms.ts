/**
 * Accepting the terms of service once signed in: asked when TERMS_VERSION changed since the
 * account last accepted (the session guard refuses everything else meanwhile: http/guards.ts).
 * The version accepted must be the current one, so nobody accepts terms they were not shown.
 * Recorded once: the row changes only if it still names another version, and only that change is
 * audited (two tabs accepting at once leave one terms.accepted).
 */
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { User } from '../../account/users.ts';
import type { Deps } from '../../deps.ts';
import { conflict } from '../../errors/app-error.ts';
import { inTransaction } from '../../store/database.ts';

export async function acceptTerms(deps: Deps, user: User, version: string, client: ClientInfo): Promise<void> {
  const current = deps.config.terms.version;
  if (version !== current) throw conflict('terms_version_outdated', `These are not the current terms of service (version ${current}): read and accept those.`);
  if (user.terms_version === current) return;
  await inTransaction(deps.store.db, async (tx) => {
    const now = deps.clock.now();
    const changed = await tx
      .updateTable('users')
      .set({ terms_version: current, terms_accepted_at: now, updated_at: now })
      .where('id', '=', user.id)
      .where((eb) => eb.or([eb('terms_version', 'is', null), eb('terms_version', '!=', current)]))
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) return;
    await deps.audit.record(tx, { type: 'terms.accepted', ...self(user.id), client, data: { version: current, previous: user.terms_version } });
  });
}
