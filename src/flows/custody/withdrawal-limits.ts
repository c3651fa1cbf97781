/**
 * Daily withdrawal limits by identity level (WITHDRAWAL_DAILY_LIMITS, in USD, over a rolling 24
 * hours; level 0 cannot withdraw, a level not listed has the limit of the next one below it). A
 * withdrawal counts at the USD value of its amount and fee when it was asked for (rounded up to the
 * cent), unless it stopped (cancelled, expired, failed: its funds came back).
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

/** The limit of the highest configured level at or below the account's (none below the lowest: 0). */
export function dailyLimitOf(deps: Deps, level: number): bigint {
  let best: [number, bigint] | null = null;
  for (const entry of deps.config.custody.dailyLimitCents) if (entry[0] <= level && (best === null || entry[0] > best[0])) best = entry;
  return level < 1 || best === null ? 0n : best[1];
}

export async function limitUse(deps: Deps, db: Db | Tx, user: User): Promise<LimitUse> {
  const dailyCents = dailyLimitOf(deps, user.kyc_level);
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
