/**
 * A list the API gives a page at a time (`nextCursor`): the first page on arrival, again when the
 * list asked for (`base`) or `refreshKey` changes, and the next one on loadMore() — login activity,
 * the money's history and the withdrawals. useFocusOnMore then moves focus to the first entry a
 * page added, so reading goes on in order.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from '../../api.ts';
import { useFailureHandler } from './useSecurityData.ts';

export interface Pages<Entry, Body> {
  /** Every entry loaded so far, in the API's order (null before the first page). */
  entries: Entry[] | null;
  /** The latest page's whole answer (for what comes with the list, such as the withdrawal limit). */
  latest: Body | null;
  hasMore: boolean;
  loadingMore: boolean;
  /** Resolves with the first entry it added (for moving focus there), or null. */
  loadMore: () => Promise<Entry | null>;
  error: string;
  reload: () => void;
}

/** `base` with the cursor added to its query. */
const withCursor = (base: string, cursor: string | null) => (cursor ? `${base}${base.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : base);

/** `entriesOf` picks a page's entries out of its answer (keep it stable: a module-level function). */
export function usePages<Entry extends { id: string }, Body extends { nextCursor: string | null }>(
  base: string,
  refreshKey: number,
  entriesOf: (body: Body) => Entry[],
): Pages<Entry, Body> {
  const describe = useFailureHandler();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [latest, setLatest] = useState<Body | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  /** Which first load the list on screen belongs to: a page asked for before a newer one is dropped. */
  const generation = useRef(0);
  const shownBase = useRef(base);

  useEffect(() => {
    const mine = ++generation.current;
    // Another list starts empty; the same one reloaded stays on screen until its answer.
    if (shownBase.current !== base) {
      shownBase.current = base;
      setEntries(null);
      setLatest(null);
    }
    get<Body>(base).then(
      (page) => {
        if (mine !== generation.current) return;
        setEntries(entriesOf(page));
        setLatest(page);
        setError('');
      },
      (failure: unknown) => {
        if (mine === generation.current) setError(describe(failure));
      },
    );
  }, [base, refreshKey, attempt, describe, entriesOf]);

  const nextCursor = latest?.nextCursor ?? null;
  const loadMore = useCallback(async () => {
    if (!nextCursor || loadingMore) return null;
    const mine = generation.current;
    setLoadingMore(true);
    setError('');
    try {
      const page = await get<Body>(withCursor(base, nextCursor));
      if (mine !== generation.current) return null;
      const seen = new Set((entries ?? []).map((entry) => entry.id));
      const fresh = entriesOf(page).filter((entry) => !seen.has(entry.id));
      setEntries((all) => [...(all ?? []), ...fresh]);
      setLatest(page);
      return fresh[0] ?? null;
    } catch (failure) {
      if (mine === generation.current) setError(describe(failure));
      return null;
    } finally {
      setLoadingMore(false);
    }
  }, [base, entries, nextCursor, loadingMore, describe, entriesOf]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { entries, latest, hasMore: nextCursor !== null, loadingMore, loadMore, error, reload };
}

export interface FocusOnMore {
  /** Loads the next page, then focuses its first new entry. */
  more: () => Promise<void>;
  /** Whether the entry takes focus (tabIndex -1): the first of a page just added. */
  focusable: (id: string) => boolean;
  /** The ref for the entry's <li>. */
  itemRef: (id: string) => (element: HTMLLIElement | null) => void;
}

export function useFocusOnMore(loadMore: () => Promise<{ id: string } | null>): FocusOnMore {
  const [focusId, setFocusId] = useState<string | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());

  useEffect(() => {
    if (focusId) items.current.get(focusId)?.focus();
  }, [focusId]);

  return {
    more: async () => {
      const first = await loadMore();
      if (first) setFocusId(first.id);
    },
    focusable: (id) => id === focusId,
    itemRef: (id) => (element) => {
      if (element) items.current.set(id, element);
      else items.current.delete(id);
    },
  };
}
