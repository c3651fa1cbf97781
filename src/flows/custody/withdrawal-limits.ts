/**
 * Daily withdrawal limits by identity level (WITHDRAWAL_DAILY_LIMITS, in USD, over a rolling 24
 * hours; a level without a limit, such as 0, cannot withdraw). A withdrawal counts at its USD value
 * when it was asked for, unless it stopped (cancelled, expired, failed: its funds came back).
 */
import type { User } from '../../account/users.ts';
import type { Deps } from '../../deps.ts';
import { formatUsd } from '../../ledger/prices.ts';
import type { Db, Tx } from '../../store/database.ts';

const DAY = 24 * 60 * 60_000;

export interface LimitUse {
  dailyCents: bigint;
  usedCents: bigint;
}

export async function limitUse(deps: Deps, db: Db | Tx, user: User): Promise<LimitUse> {
  const dailyCents = deps.config.custody.dailyLimitCents.get(user.kyc_level) ?? 0n;
  const row = await db
    .selectFrom('withdrawals')
    .select((eb) => eb.fn.sum<string | number | null>('usd_cents').as('used'))
    .where('user_id', '=', user.id)
    .where('created_at', '>', deps.clock.now() - DAY)
    .where('status', 'not in', ['cancelled', 'expired', 'failed'])
    .executeTakeFirst();
  return { dailyCents, usedCents: BigInt(row?.used ?? 0) };
}

export const remainingCents = (use: LimitUse): bigint => (use.dailyCents > use.usedCents ? use.dailyCents - use.usedCents : 0n);

export const limitBody = (use: LimitUse) => ({ dailyUsd: formatUsd(use.dailyCents), usedUsd: formatUsd(use.usedCents), remainingUsd: formatUsd(remainingCents(use)) });
