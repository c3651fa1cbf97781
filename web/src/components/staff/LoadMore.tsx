/**
 * The end of a paged list: how many items are shown, and "Load more" while there are more. When the
 * last page arrives the button goes, and focus moves to the count instead of being lost.
 */
import { useEffect, useRef } from 'react';
import { focusSoon } from '../security/focus.ts';
import { count } from './words.ts';

interface LoadMoreProps {
  shown: number;
  noun: [one: string, many: string];
  hasMore: boolean;
  busy: boolean;
  onMore: () => void;
}

export function LoadMore({ shown, noun, hasMore, busy, onMore }: LoadMoreProps) {
  const counted = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (!hasMore) focusSoon(() => counted.current);
  }, [hasMore]);

  return (
    <>
      <p className="small" ref={counted} tabIndex={-1} aria-live="polite">
        Showing {count(shown, ...noun)}.
      </p>
      {hasMore ? (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={onMore} aria-disabled={busy ? true : undefined}>
            {busy ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </>
  );
}
