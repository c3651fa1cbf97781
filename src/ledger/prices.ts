/**
 * USD prices, from a table an admin keeps (`bastion prices set BTC 97000.12`; nothing is fetched
 * from a network at run time). A price is a decimal with up to 8 places, held as an integer of
 * 10⁻⁸ USD; values are worked out in integers and rounded down to the cent.
 */
import type { Db, Tx } from '../store/database.ts';
import { formatDecimal, parseDecimal } from './amounts.ts';

export const PRICE_DECIMALS = 8;

export interface Price {
  /** USD per whole unit, in 10⁻⁸ USD. */
  usd: bigint;
  at: number;
}

/** Sets a price (a positive decimal, at most 8 places); returns it, or null when the text is not one. */
export async function setPrice(db: Db | Tx, input: { asset: string; usd: string; by: string; now: number }): Promise<bigint | null> {
  const usd = parseDecimal(input.usd, PRICE_DECIMALS);
  if (usd === null || usd === 0n) return null;
  await db
    .insertInto('prices')
    .values({ asset: input.asset, usd: formatDecimal(usd, PRICE_DECIMALS), updated_at: input.now, updated_by: input.by })
    .onConflict((oc) => oc.column('asset').doUpdateSet({ usd: formatDecimal(usd, PRICE_DECIMALS), updated_at: input.now, updated_by: input.by }))
    .execute();
  return usd;
}

/** Every price younger than `maxAgeMs`, by asset. */
export async function freshPrices(db: Db | Tx, now: number, maxAgeMs: number): Promise<Map<string, Price>> {
  const rows = await db.selectFrom('prices').selectAll().where('updated_at', '>', now - maxAgeMs).execute();
  return new Map(rows.map((r) => [r.asset, { usd: parseDecimal(r.usd, PRICE_DECIMALS)!, at: r.updated_at }]));
}

/** The USD value of an amount, in cents: rounded down (a balance shown), or up (what counts against a limit). */
export function usdCents(units: bigint, decimals: number, price: bigint, rounding: 'down' | 'up' = 'down'): bigint {
  const scale = 10n ** BigInt(decimals + PRICE_DECIMALS - 2);
  return (units * price + (rounding === 'up' ? scale - 1n : 0n)) / scale;
}

/** Cents as "1234.50". */
export const formatUsd = (cents: bigint): string => {
  const text = formatDecimal(cents, 2);
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
};
