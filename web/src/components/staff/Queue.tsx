/**
 * What the staff queues share (KYC cases, 2FA reset requests): the status shown, from ?status= (the
 * default when it is absent or unknown), its filter, which puts the choice in the address, and the
 * list a page at a time — loading, none with this status, the items, "Load more".
 */
import { useMemo, type ReactNode } from 'react';
import { navigate, useQueryParam } from '../../router.tsx';
import { choicesFrom, SelectField } from '../Fields.tsx';
import { LoadState } from '../security/LoadState.tsx';
import { LoadMore } from './LoadMore.tsx';
import type { StaffPages } from './useStaffData.ts';
import { withQuery } from './words.ts';

/** The status in the address when it is one of `labels`, else `fallback`. */
export function useQueueStatus<S extends string>(labels: Record<S, string>, fallback: NoInfer<S>): S {
  const asked = useQueryParam('status');
  return Object.hasOwn(labels, asked) ? (asked as S) : fallback;
}

/** The queue's status filter: a choice replaces `page`'s address. */
export function StatusFilter<S extends string>({ status, labels, page }: { status: S; labels: Record<S, string>; page: string }) {
  const choices = useMemo(() => choicesFrom(labels), [labels]);
  return (
    <div className="staff-filters">
      <SelectField label="Status" value={status} onValueChange={(next) => navigate(withQuery(page, { status: next }), { replace: true })} choices={choices} />
    </div>
  );
}

interface QueueItemsProps<Item> {
  pages: StaffPages<Item>;
  /** What the items are called: one, many. */
  noun: [one: string, many: string];
  /** The items, once there is at least one. */
  children: (items: Item[]) => ReactNode;
}

export function QueueItems<Item>({ pages, noun, children }: QueueItemsProps<Item>) {
  const { items } = pages;
  return (
    <>
      <LoadState what={`the ${noun[1]}`} loaded={items !== null} error={pages.error} onRetry={pages.reload} />
      {items && items.length === 0 ? <p>{`No ${noun[1]} with this status.`}</p> : null}
      {items && items.length > 0 ? children(items) : null}
      {items ? <LoadMore shown={items.length} noun={noun} hasMore={pages.hasMore} busy={pages.loadingMore} onMore={pages.loadMore} /> : null}
    </>
  );
}
