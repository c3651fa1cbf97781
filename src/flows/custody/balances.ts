/** GET /api/balances: every asset of the platform with the user's available and held amounts, valued in USD. */
import type { BalancesBody } from '../../contracts/custody.ts';
import type { Deps } from '../../deps.ts';
import { formatDecimal } from '../../ledger/amounts.ts';
import { balancesOf } from '../../ledger/ledger.ts';
import { formatUsd, freshPrices, PRICE_DECIMALS, usdCents } from '../../ledger/prices.ts';
import { isoTime } from '../../clock.ts';

export async function describeBalances(deps: Deps, userId: string): Promise<BalancesBody> {
  const db = deps.store.db;
  const [balances, prices] = await Promise.all([balancesOf(db, userId), freshPrices(db, deps.clock.now(), deps.config.custody.priceMaxAgeMs)]);
  let total = 0n;
  let oldest: number | null = null;
  const assets = deps.config.custody.assets.map((asset) => {
    const { available, held } = balances.get(asset.symbol) ?? { available: 0n, held: 0n };
    const price = prices.get(asset.symbol);
    const cents = price ? usdCents(available + held, asset.decimals, price.usd) : null;
    if (price && cents !== null) {
      total += cents;
      oldest = oldest === null ? price.at : Math.min(oldest, price.at);
    }
    return {
      symbol: asset.symbol,
      name: asset.name,
      network: asset.network,
      decimals: asset.decimals,
      withdrawalFee: formatDecimal(asset.withdrawalFee, asset.decimals),
      minWithdrawal: formatDecimal(asset.minWithdrawal, asset.decimals),
      available: formatDecimal(available, asset.decimals),
      held: formatDecimal(held, asset.decimals),
      usdPrice: price ? formatDecimal(price.usd, PRICE_DECIMALS) : null,
      usdValue: cents === null ? null : formatUsd(cents),
    };
  });
  return { assets, totalUsd: formatUsd(total), pricesAt: isoTime(oldest) };
}
