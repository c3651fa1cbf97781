/** One labelled fact of a list item (inside a <dl className="sc-facts">). */
import type { ReactNode } from 'react';

export function Fact({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}
