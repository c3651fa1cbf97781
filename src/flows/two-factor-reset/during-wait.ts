/**
 * While an approved reset waits, a sign-in with a second factor the account still has cancels
 * nothing (a thief with a stolen phone could otherwise stop the owner's reset) but is told to every
 * address on file, with the cancel link: an owner who found their factor again can stop the reset.
 */
import type { User } from '../../account/users.ts';
import type { Deps } from '../../deps.ts';
import { factorById, type SecondFactorId } from '../../factors/registry.ts';
import type { Tx } from '../../store/database.ts';
import { tellEveryAddress } from './requests.ts';

export async function noteSignInDuringWait(deps: Deps, tx: Tx, user: User, method: SecondFactorId): Promise<void> {
  const waiting = await tx.selectFrom('two_factor_resets').selectAll().where('user_id', '=', user.id).where('status', '=', 'approved').executeTakeFirst();
  if (!waiting || waiting.effective_at === null) return;
  const label = `your ${factorById(method).label.toLowerCase()}`;
  await tellEveryAddress(deps, tx, user, waiting, 'two_factor_reset_sign_in_during_wait', { at: deps.clock.now(), effectiveAt: waiting.effective_at, method: label });
}
