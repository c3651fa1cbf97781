/**
 * One row per asset: what is available, what is on hold (e.g. a withdrawal on its way), and what it
 * is worth in USD ("no price" while there is none). On a phone the table scrolls inside its own box,
 * the asset column staying in view.
 */
import { formatAmount, formatUsd } from './format.ts';
import type { AssetBalance } from './types.ts';

export function BalancesTable({ assets }: { assets: readonly AssetBalance[] }) {
  return (
    <>
      <p className="muted small scroll-hint">Swipe the table sideways to see what is on hold and the value.</p>
      <div className="table-scroll" role="region" aria-labelledby="balances-caption" tabIndex={0}>
        <table className="balances">
          <caption id="balances-caption">Balances</caption>
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col" className="num">
                Available
              </th>
              <th scope="col" className="num">
                On hold
              </th>
              <th scope="col" className="num">
                Value (USD)
              </th>
            </tr>
          </thead>
          <tbody>
            {assets.map((asset) => (
              <tr key={asset.symbol} data-testid={`balance-${asset.symbol}`}>
                <th scope="row">
                  <span className="asset-symbol">{asset.symbol}</span>
                  <span className="asset-name muted small">{asset.name}</span>
                </th>
                <td className="num mono" data-testid="balance-available">
                  {formatAmount(asset.available)}
                </td>
                <td className="num mono" data-testid="balance-held">
                  {formatAmount(asset.held)}
                </td>
                <td className="num" data-testid="balance-usd">
                  {asset.usdValue !== null ? (
                    <>
                      {formatUsd(asset.usdValue)}
                      {asset.usdPrice !== null ? (
                        <span className="asset-price muted small">
                          <span className="visually-hidden">at </span>
                          {formatUsd(asset.usdPrice)} each
                        </span>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">no price</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
