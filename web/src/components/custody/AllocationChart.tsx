/**
 * How the portfolio's USD value is split between assets: a donut (recharts, loaded when needed) and,
 * beside it, the same figures as a list, which is what assistive technology reads (the drawing is
 * hidden from it). The amounts are only turned into numbers to size the slices; the shares are exact.
 */
import { lazy, Suspense } from 'react';
import { formatUsd, isZero, sharePercent, usdCents } from './format.ts';
import type { AssetBalance } from './types.ts';

const Donut = lazy(() => import('./Donut.tsx'));

/** Slice colours: distinct from one another, and visible on both the light and the dark theme. */
const COLOURS = ['#2563eb', '#f59e0b', '#10b981', '#8b5cf6', '#ef4444', '#06b6d4', '#ec4899', '#84cc16'];

interface Slice {
  symbol: string;
  name: string;
  usdValue: string;
  cents: bigint;
  fill: string;
}

/** The assets worth something (with a price and a value above zero), largest first. */
function slicesOf(assets: readonly AssetBalance[]): Slice[] {
  return assets
    .flatMap((asset) => {
      const cents = asset.usdValue === null ? null : usdCents(asset.usdValue);
      return cents !== null && cents > 0n && asset.usdValue !== null ? [{ symbol: asset.symbol, name: asset.name, usdValue: asset.usdValue, cents }] : [];
    })
    .sort((a, b) => (a.cents === b.cents ? a.symbol.localeCompare(b.symbol) : a.cents > b.cents ? -1 : 1))
    .map((slice, index) => ({ ...slice, fill: COLOURS[index % COLOURS.length] ?? '#2563eb' }));
}

export function AllocationChart({ assets }: { assets: readonly AssetBalance[] }) {
  const slices = slicesOf(assets);
  const total = slices.reduce((sum, slice) => sum + slice.cents, 0n);
  const unpriced = assets.some((asset) => asset.usdValue === null && !(isZero(asset.available) && isZero(asset.held)));

  if (slices.length === 0) {
    return <p className="muted small">The allocation chart appears once you hold an asset with a price.</p>;
  }

  // For the chart only: the relative sizes of the slices.
  const data = slices.map((slice) => ({ name: slice.symbol, value: Number.parseFloat(slice.usdValue), fill: slice.fill }));

  return (
    <div className="allocation">
      <div className="allocation-chart" aria-hidden="true">
        <Suspense fallback={null}>
          <Donut slices={data} />
        </Suspense>
      </div>
      <div className="allocation-legend">
        <h3 id="allocation-heading">Allocation</h3>
        <ul aria-labelledby="allocation-heading" data-testid="allocation">
          {slices.map((slice) => (
            <li key={slice.symbol}>
              <span className="swatch" style={{ backgroundColor: slice.fill }} aria-hidden="true" />
              <span className="allocation-asset">
                <strong>{slice.symbol}</strong> <span className="muted small">{slice.name}</span>
              </span>
              <span className="allocation-share">
                {sharePercent(slice.cents, total)}
                <span className="visually-hidden">, </span>
                <span className="muted small">{formatUsd(slice.usdValue)}</span>
              </span>
            </li>
          ))}
        </ul>
        {unpriced ? <p className="muted small">Assets without a price are not in the chart.</p> : null}
      </div>
    </div>
  );
}
