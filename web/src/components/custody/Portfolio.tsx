/**
 * The dashboard's "Portfolio": what the account holds in total (USD), how it is split (chart and
 * list), and each asset's balance. `children` go at the end (the development faucet, when offered).
 */
import type { ReactNode } from 'react';
import type { Loaded } from '../security/useSecurityData.ts';
import { LoadState } from '../security/LoadState.tsx';
import { Later } from '../security/When.tsx';
import { AllocationChart } from './AllocationChart.tsx';
import { BalancesTable } from './BalancesTable.tsx';
import { formatUsd } from './format.ts';
import type { BalancesBody } from './types.ts';

export function Portfolio({ balances, children }: { balances: Loaded<BalancesBody>; children?: ReactNode }) {
  const { data, error, reload } = balances;
  return (
    <section className="panel panel-full" aria-labelledby="portfolio-heading" data-testid="portfolio">
      <h2 id="portfolio-heading">Portfolio</h2>
      {/* A failed reload keeps the last balances on screen, under the reason. */}
      <LoadState what="your balances" loaded={data !== null} error={error} onRetry={reload} />
      {data ? (
        <>
          <p className="portfolio-total">
            <span className="muted">Total value</span>{' '}
            <strong data-testid="portfolio-total">{formatUsd(data.totalUsd)}</strong>
          </p>
          {data.pricesAt ? (
            <p className="muted small">
              Prices as of <Later iso={data.pricesAt} />. Values in USD are estimates.
            </p>
          ) : data.assets.every((asset) => asset.usdPrice === null) ? (
            <p className="muted small">Prices are not available right now, so values in USD are not shown.</p>
          ) : null}
          <AllocationChart assets={data.assets} />
          <BalancesTable assets={data.assets} />
        </>
      ) : null}
      {children}
    </section>
  );
}
