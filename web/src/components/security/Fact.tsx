/** One labelled fact of a list item or summary (inside a <dl className="sc-facts"> or <dl className="summary">). */
import type { ReactNode } from 'react';
import { localTime } from './format.ts';
import { Later, When } from './When.tsx';

export function Fact({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

const TIME_AS = {
  /** Relative and local (When). */
  when: (iso: string) => <When iso={iso} />,
  /** A time to come (Later). */
  later: (iso: string) => <Later iso={iso} />,
  /** The local date and time as plain text. */
  local: (iso: string) => localTime(iso),
} satisfies Record<string, (iso: string) => ReactNode>;

/** A fact that is a time, left out while there is none. */
export function TimeFact({ label, iso, as = 'when' }: { label: string; iso: string | null | undefined; as?: keyof typeof TIME_AS }) {
  return iso ? <Fact label={label}>{TIME_AS[as](iso)}</Fact> : null;
}
