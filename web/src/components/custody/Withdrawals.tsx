/**
 * "Withdrawals" (GET /api/withdrawals): the account's withdrawals, newest first, where each stands,
 * with Cancel while one is not sent yet and "Load more" while there are older ones. The pages are
 * loaded by the dashboard (useWithdrawals), which also shows the daily limit they come with.
 */
import type { WithdrawalEntry, WithdrawalsBody } from './types.ts';
import { PagedList } from './PagedList.tsx';
import { usePages, type Pages } from '../security/usePages.ts';
import { WithdrawalItem } from './WithdrawalItem.tsx';

export type WithdrawalPages = Pages<WithdrawalEntry, WithdrawalsBody>;

const entriesOf = (body: WithdrawalsBody) => body.withdrawals;

/** The withdrawals a page at a time, loaded again when `refreshKey` changes (money moved). */
export const useWithdrawals = (refreshKey: number): WithdrawalPages => usePages('/api/withdrawals', refreshKey, entriesOf);

export function Withdrawals({ pages, onChanged }: { pages: WithdrawalPages; onChanged: () => void }) {
  return (
    <section className="panel panel-full" aria-labelledby="withdrawals-heading" data-testid="withdrawals">
      <h2 id="withdrawals-heading">Withdrawals</h2>
      <PagedList
        pages={pages}
        what="your withdrawals"
        empty="No withdrawals yet."
        noun={['withdrawal', 'withdrawals']}
        labelledBy="withdrawals-heading"
        className="withdrawal-list"
      >
        {(entry, focus) => <WithdrawalItem key={entry.id} entry={entry} focusable={focus.focusable} itemRef={focus.itemRef} onChanged={onChanged} />}
      </PagedList>
    </section>
  );
}
