/** The configured assets, looked up by symbol, and amounts read for one of them (400 with the rule otherwise). */
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import { parseDecimal } from '../../ledger/amounts.ts';
import type { Asset } from '../../ledger/assets.ts';

export function assetOf(deps: Deps, symbol: string, field = 'asset'): Asset {
  const asset = deps.config.custody.assets.find((a) => a.symbol === symbol);
  if (!asset) throw badRequest('unknown_asset', `${field}: ${symbol} is not an asset of this platform (${deps.config.custody.assets.map((a) => a.symbol).join(', ')}).`);
  return asset;
}

/** A positive amount of the asset, in its smallest unit. */
export function amountOf(asset: Asset, text: string, field = 'amount'): bigint {
  const units = parseDecimal(text, asset.decimals);
  if (units === null) throw badRequest('invalid_amount', `${field}: must be a decimal number of ${asset.symbol} with at most ${asset.decimals} decimal places, such as 0.5.`);
  if (units === 0n) throw badRequest('invalid_amount', `${field}: must be more than zero.`);
  return units;
}
