/**
 * Development only: so `npm start` shows a portfolio and can trade at once, prices the admin has not
 * set (or that went stale) are filled in at start with round reference figures, recorded as set by
 * "development". Production prices come only from `bastion prices set`.
 */
import type { Deps } from '../../deps.ts';
import { freshPrices, setPrice } from '../../ledger/prices.ts';

const REFERENCE_USD: Record<string, string> = { BTC: '97000', ETH: '3500', CRO: '0.15', USDC: '1', USDT: '1' };

export async function fillDevelopmentPrices(deps: Deps): Promise<string[]> {
  const now = deps.clock.now();
  const fresh = await freshPrices(deps.store.db, now, deps.config.custody.priceMaxAgeMs);
  const filled: string[] = [];
  for (const asset of deps.config.custody.assets) {
    const usd = REFERENCE_USD[asset.symbol];
    if (fresh.has(asset.symbol) || !usd) continue;
    await setPrice(deps.store.db, { asset: asset.symbol, usd, by: 'development', now });
    filled.push(asset.symbol);
  }
  return filled;
}
