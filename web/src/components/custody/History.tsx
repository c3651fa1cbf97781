/**
 * "History": deposits, trades and withdrawals, newest first, for every asset or one, with
 * "Load more" while there are older entries.
 */
import { useEffect, useRef, useState } from 'react';
import { SelectField } from '../Fields.tsx';
import { LoadState } from '../security/LoadState.tsx';
import { LoadMore } from '../staff/LoadMore.tsx';
import { HistoryItem } from './HistoryItem.tsx';
import { useHistory } from './useHistory.ts';

export function History({ symbols, refreshKey }: { symbols: readonly string[]; refreshKey: number }) {
  const [asset, setAsset] = useState('');
  const { entries, hasMore, loadingMore, loadMore, error, reload } = useHistory(asset, refreshKey);
  const [focusId, setFocusId] = useState<string | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());

  useEffect(() => {
    if (focusId) items.current.get(focusId)?.focus();
  }, [focusId]);

  const more = async () => {
    const first = await loadMore();
    if (first) setFocusId(first.id);
  };

  return (
    <section className="panel panel-full" aria-labelledby="money-history-heading" data-testid="history">
      <h2 id="money-history-heading">History</h2>
      <div className="history-filter">
        <SelectField
          label="Filter by asset"
          value={asset}
          placeholder="All assets"
          choices={symbols.map((symbol) => ({ value: symbol, label: symbol }))}
          onValueChange={(value) => {
            setAsset(value);
            setFocusId(null);
          }}
        />
      </div>
      <LoadState what="your history" loaded={entries !== null} error={error} onRetry={reload} />
      {entries && entries.length === 0 ? <p>{asset ? `Nothing has happened with ${asset} yet.` : 'Nothing has happened yet. Deposits and trades will show here.'}</p> : null}
      {entries && entries.length > 0 ? (
        <>
          <ol className="sc-list history-list" aria-labelledby="money-history-heading">
            {entries.map((entry) => (
              <HistoryItem
                key={entry.id}
                entry={entry}
                focusable={entry.id === focusId}
                itemRef={(element) => {
                  if (element) items.current.set(entry.id, element);
                  else items.current.delete(entry.id);
                }}
              />
            ))}
          </ol>
          <LoadMore shown={entries.length} noun={['entry', 'entries']} hasMore={hasMore} busy={loadingMore} onMore={() => void more()} />
        </>
      ) : null}
    </section>
  );
}
