/**
 * Whitelist-only withdrawals: turning it on is immediate; turning it off takes a fresh step-up
 * (checked by the route) and takes effect WHITELIST_OFF_DELAY later (as Crypto.com and Coinbase
 * International take 24 hours), emailed with the lock link and cancellable by turning it on again.
 */
import { securityChanged } from '../../account/security-change.ts';
import { lockUser, type User } from '../../account/users.ts';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { isoTime } from '../../clock.ts';
import type { Deps } from '../../deps.ts';
import { inTransaction, type Db, type Tx } from '../../store/database.ts';

export interface WhitelistState {
  /** In force now (an "off" whose time has come counts as off). */
  whitelistOnly: boolean;
  /** A pending "off", still in the future. */
  offEffectiveAt: number | null;
}

export async function whitelistState(db: Db | Tx, userId: string, now: number): Promise<WhitelistState> {
  const row = await db.selectFrom('withdrawal_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row || row.whitelist_only !== 1) return { whitelistOnly: false, offEffectiveAt: null };
  if (row.off_effective_at !== null && now >= row.off_effective_at) return { whitelistOnly: false, offEffectiveAt: null };
  return { whitelistOnly: true, offEffectiveAt: row.off_effective_at };
}

export async function setWhitelistOnly(deps: Deps, user: User, enabled: boolean, client: ClientInfo): Promise<{ whitelistOnly: boolean; whitelistOffAt: string | null }> {
  return inTransaction(deps.store.db, async (tx) => {
    await lockUser(tx, deps.store.dialect, user.id);
    const now = deps.clock.now();
    const before = await whitelistState(tx, user.id, now);
    const write = (whitelistOnly: number, offEffectiveAt: number | null) =>
      tx
        .insertInto('withdrawal_settings')
        .values({ user_id: user.id, whitelist_only: whitelistOnly, off_effective_at: offEffectiveAt, updated_at: now })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ whitelist_only: whitelistOnly, off_effective_at: offEffectiveAt, updated_at: now }))
        .execute();
    if (enabled) {
      if (before.whitelistOnly && before.offEffectiveAt === null) return { whitelistOnly: true, whitelistOffAt: null };
      await write(1, null);
      const cancelled = before.offEffectiveAt !== null;
      await deps.mail.send(tx, 'whitelist_enabled', user.email, { at: now, cancelled });
      await deps.audit.record(tx, { type: cancelled ? 'withdrawal.whitelist_off_cancelled' : 'withdrawal.whitelist_enabled', ...self(user.id), client });
      return { whitelistOnly: true, whitelistOffAt: null };
    }
    if (!before.whitelistOnly || before.offEffectiveAt !== null) return { whitelistOnly: before.whitelistOnly, whitelistOffAt: isoTime(before.offEffectiveAt) };
    const effectiveAt = now + deps.config.custody.whitelistOffDelayMs;
    await write(1, effectiveAt);
    await securityChanged(deps, tx, { kind: 'whitelist_disabled', subject: user, actor: self(user.id).actor, client, alert: { effectiveAt }, data: { effectiveAt } });
    return { whitelistOnly: true, whitelistOffAt: isoTime(effectiveAt) };
  });
}
