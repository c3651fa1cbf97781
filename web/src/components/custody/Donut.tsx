/**
 * The allocation drawing (recharts), loaded on its own so the charting library stays out of the
 * app's first download. Decorative: the list beside it carries the same figures in words.
 */
import { Pie, PieChart } from 'recharts';

export interface DonutSlice {
  name: string;
  /** Only the relative size matters. */
  value: number;
  fill: string;
}

export const DONUT_SIZE = 168;

const reducedMotion = () => typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export default function Donut({ slices }: { slices: readonly DonutSlice[] }) {
  return (
    <PieChart width={DONUT_SIZE} height={DONUT_SIZE} accessibilityLayer={false} margin={{ top: 0, right: 0, bottom: 0, left: 0 }}>
      <Pie
        data={[...slices]}
        dataKey="value"
        nameKey="name"
        innerRadius={50}
        outerRadius={80}
        paddingAngle={slices.length > 1 ? 1 : 0}
        stroke="none"
        startAngle={90}
        endAngle={-270}
        isAnimationActive={!reducedMotion()}
        rootTabIndex={-1}
      />
    </PieChart>
  );
}
