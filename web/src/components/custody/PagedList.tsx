/**
 * A list loaded a page at a time (usePages): its loading line or error, the words for an empty
 * list, the entries, and "Load more" while there are older ones (then focus moves to the first
 * entry the page added: useFocusOnMore).
 */
import type { ReactNode } from 'react';
import { LoadState } from '../security/LoadState.tsx';
import { useFocusOnMore, type Pages } from '../security/usePages.ts';
import { LoadMore } from '../staff/LoadMore.tsx';

/** What an entry's <li> takes so that focus can move to it. */
export interface EntryFocus {
  /** The first entry of a page just added: it takes focus (tabIndex -1). */
  focusable: boolean;
  itemRef: (element: HTMLLIElement | null) => void;
}

interface PagedListProps<Entry extends { id: string }> {
  pages: Omit<Pages<Entry, unknown>, 'latest'>;
  /** "your history": said while it loads. */
  what: string;
  empty: ReactNode;
  noun: [one: string, many: string];
  /** The id of the heading that names the list. */
  labelledBy: string;
  className: string;
  children: (entry: Entry, focus: EntryFocus) => ReactNode;
}

export function PagedList<Entry extends { id: string }>({ pages, what, empty, noun, labelledBy, className, children }: PagedListProps<Entry>) {
  const { entries, hasMore, loadingMore, loadMore, error, reload } = pages;
  const focus = useFocusOnMore(loadMore);

  return (
    <>
      <LoadState what={what} loaded={entries !== null} error={error} onRetry={reload} />
      {entries && entries.length === 0 ? <p>{empty}</p> : null}
      {entries && entries.length > 0 ? (
        <>
          <ol className={`sc-list ${className}`} aria-labelledby={labelledBy}>
            {entries.map((entry) => children(entry, { focusable: focus.focusable(entry.id), itemRef: focus.itemRef(entry.id) }))}
          </ol>
          <LoadMore shown={entries.length} noun={noun} hasMore={hasMore} busy={loadingMore} onMore={() => void focus.more()} />
        </>
      ) : null}
    </>
  );
}
