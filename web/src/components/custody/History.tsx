/**
 * "History": deposits, trades and withdrawals, newest first, for every asset or one, with
 * "Load more" while there are older entries.
 */
import { useState } from 'react';
import { SelectField } from '../Fields.tsx';
import { HistoryItem } from './HistoryItem.tsx';
import { PagedList } from './PagedList.tsx';
import { useHistory } from './useHistory.ts';

export function History({ symbols, refreshKey }: { symbols: readonly string[]; refreshKey: number }) {
  const [asset, setAsset] = useState('');
  const pages = useHistory(asset, refreshKey);

  return (
    <section className="panel panel-full" aria-labelledby="money-history-heading" data-testid="history">
      <h2 id="money-history-heading">History</h2>
      <div className="history-filter">
        <SelectField
          label="Filter by asset"
          value={asset}
          placeholder="All assets"
          choices={symbols.map((symbol) => ({ value: symbol, label: symbol }))}
          onValueChange={setAsset}
        />
      </div>
      {/* Another filter is another list: where focus was to go in the last one no longer counts. */}
      <PagedList
        key={asset}
        pages={pages}
        what="your history"
        empty={asset ? `Nothing has happened with ${asset} yet.` : 'Nothing has happened yet. Deposits and trades will show here.'}
        noun={['entry', 'entries']}
        labelledBy="money-history-heading"
        className="history-list"
      >
        {(entry, focus) => <HistoryItem key={entry.id} entry={entry} focusable={focus.focusable} itemRef={focus.itemRef} />}
      </PagedList>
    </section>
  );
}
