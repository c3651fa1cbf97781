/**
 * Loading for the staff console: one answer (useStaffData), or a list that continues page by page
 * with "Load more" (useStaffPages, for answers with `nextCursor`). Every request goes through the
 * console's `call`, so a lapsed staff step-up is asked for and the request made again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from '../../api.ts';
import { useStaff, type StaffCall } from './useStaff.ts';

export interface StaffData<T> {
  data: T | null;
  error: string;
  reload: () => void;
}

/** GET `path` through `call` (nothing while `path` is null), again on reload(). */
export function useDataThrough<T>(call: StaffCall, path: string | null): StaffData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  const shown = useRef<string | null>(null);

  useEffect(() => {
    if (path === null) return;
    // Another path starts empty; the same one reloaded stays on screen until its answer.
    if (shown.current !== path) {
      shown.current = path;
      setData(null);
      setError('');
    }
    let current = true;
    void call(
      async () => {
        const answer = await get<T>(path);
        if (!current) return;
        setData(answer);
        setError('');
      },
      (message) => {
        if (current) setError(message);
      },
    );
    return () => {
      current = false;
    };
  }, [call, path, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, reload };
}

export function useStaffData<T>(path: string | null): StaffData<T> {
  return useDataThrough<T>(useStaff().call, path);
}

export interface StaffPages<Item> {
  /** Every item loaded so far (null before the first page). */
  items: Item[] | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  error: string;
  reload: () => void;
}

/** A list answered a page at a time: `path` for the first page, `&cursor=` for each next one. */
export function useStaffPages<Page extends { nextCursor: string | null }, Item>(path: string, itemsOf: (page: Page) => Item[]): StaffPages<Item> {
  const { call } = useStaff();
  const first = useStaffData<Page>(path);
  /** The pages loaded after `first`: dropped when the first page loads again. */
  const [more, setMore] = useState<{ after: Page; items: Item[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState('');

  const added = more && more.after === first.data ? more : null;
  const nextCursor = added ? added.nextCursor : (first.data?.nextCursor ?? null);

  const loadMore = () => {
    const after = first.data;
    if (!after || !nextCursor || loadingMore) return;
    setMoreError('');
    void call(async () => {
      setLoadingMore(true);
      try {
        const page = await get<Page>(`${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(nextCursor)}`);
        setMore((was) => ({ after, items: [...(was && was.after === after ? was.items : []), ...itemsOf(page)], nextCursor: page.nextCursor }));
      } finally {
        setLoadingMore(false);
      }
    }, setMoreError);
  };

  return {
    items: first.data ? [...itemsOf(first.data), ...(added?.items ?? [])] : null,
    hasMore: nextCursor !== null,
    loadingMore,
    loadMore,
    error: first.error || moreError,
    reload: first.reload,
  };
}
