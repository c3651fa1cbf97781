/**
 * GET /api/history for one asset (or all), a page at a time: the first page on arrival, again when
 * the filter or `refreshKey` changes (after a trade or a deposit), and the next one on loadMore().
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from '../../api.ts';
import { useFailureHandler } from '../security/useSecurityData.ts';
import type { HistoryBody, HistoryEntry } from './types.ts';

const historyPath = (asset: string, cursor: string | null) => {
  const query = new URLSearchParams();
  if (asset) query.set('asset', asset);
  if (cursor) query.set('cursor', cursor);
  const text = query.toString();
  return text ? `/api/history?${text}` : '/api/history';
};

export interface HistoryPages {
  /** Every entry loaded so far, newest first (null before the first page). */
  entries: HistoryEntry[] | null;
  hasMore: boolean;
  loadingMore: boolean;
  /** Resolves with the first entry it added (for moving focus there), or null. */
  loadMore: () => Promise<HistoryEntry | null>;
  error: string;
  reload: () => void;
}

export function useHistory(asset: string, refreshKey: number): HistoryPages {
  const describe = useFailureHandler();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  /** Which first load the list on screen belongs to: a page asked for before a newer one is dropped. */
  const generation = useRef(0);
  const shownAsset = useRef(asset);

  useEffect(() => {
    const mine = ++generation.current;
    // Another filter starts empty; the same one reloaded stays on screen until its answer.
    if (shownAsset.current !== asset) {
      shownAsset.current = asset;
      setEntries(null);
      setNextCursor(null);
    }
    get<HistoryBody>(historyPath(asset, null)).then(
      (page) => {
        if (mine !== generation.current) return;
        setEntries(page.entries);
        setNextCursor(page.nextCursor);
        setError('');
      },
      (failure: unknown) => {
        if (mine === generation.current) setError(describe(failure));
      },
    );
  }, [asset, refreshKey, attempt, describe]);

  const loadMore = useCallback(async () => {
    if (!nextCursor || loadingMore) return null;
    const mine = generation.current;
    setLoadingMore(true);
    setError('');
    try {
      const page = await get<HistoryBody>(historyPath(asset, nextCursor));
      if (mine !== generation.current) return null;
      const seen = new Set((entries ?? []).map((entry) => entry.id));
      const fresh = page.entries.filter((entry) => !seen.has(entry.id));
      setEntries((all) => [...(all ?? []), ...fresh]);
      setNextCursor(page.nextCursor);
      return fresh[0] ?? null;
    } catch (failure) {
      if (mine === generation.current) setError(describe(failure));
      return null;
    } finally {
      setLoadingMore(false);
    }
  }, [asset, entries, nextCursor, loadingMore, describe]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { entries, hasMore: nextCursor !== null, loadingMore, loadMore, error, reload };
}
