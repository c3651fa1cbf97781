/**
 * GET /api/history for one asset (or all), a page at a time (usePages): the first page on arrival,
 * again when the filter or `refreshKey` changes (after a trade or a deposit), and the next one on loadMore().
 */
import type { HistoryBody, HistoryEntry } from './types.ts';
import { usePages, type Pages } from '../security/usePages.ts';

export type HistoryPages = Pages<HistoryEntry, HistoryBody>;

const entriesOf = (body: HistoryBody) => body.entries;

export function useHistory(asset: string, refreshKey: number): HistoryPages {
  return usePages(asset ? `/api/history?asset=${encodeURIComponent(asset)}` : '/api/history', refreshKey, entriesOf);
}
