/**
 * "Address book" (GET /api/withdrawal-addresses): whitelist-only mode, the addresses withdrawals
 * can go to and where each stands (waiting for its email link, in its waiting period, usable), and
 * adding one. The book is loaded by the dashboard and shared with the withdraw form.
 */
import { LoadState } from '../security/LoadState.tsx';
import { useFocusRequest } from '../security/focus.ts';
import type { Loaded } from '../security/useSecurityData.ts';
import { AddAddressForm } from './AddAddressForm.tsx';
import { AddressItem } from './AddressItem.tsx';
import { WhitelistOnly } from './WhitelistOnly.tsx';
import type { AddressBookBody, AssetBalance } from './types.ts';

interface AddressBookProps {
  assets: readonly AssetBalance[] | null;
  book: Loaded<AddressBookBody>;
  /** An address was added or removed, or whitelist-only changed: the book loads again. */
  onChanged: () => void;
}

export function AddressBook({ assets, book, onChanged }: AddressBookProps) {
  const { data, error, reload } = book;
  const [list, focusList] = useFocusRequest<HTMLHeadingElement>();

  return (
    <section className="panel address-book" aria-labelledby="address-book-heading" data-testid="address-book">
      <h2 id="address-book-heading">Address book</h2>
      <p className="muted small">
        The addresses your withdrawals go to. A new address is added once you open the link we email you, and can receive withdrawals after a waiting period, so
        someone who gets into your account cannot send your funds away at once.
      </p>
      <LoadState what="your address book" loaded={data !== null} error={error} onRetry={reload} />
      {data ? (
        <>
          <WhitelistOnly book={data} onChanged={onChanged} />
          <h3 id="address-list-heading" ref={list} tabIndex={-1}>
            Your addresses
          </h3>
          {data.addresses.length === 0 ? <p>No addresses yet.</p> : null}
          {data.addresses.length > 0 ? (
            <ul className="sc-list" aria-labelledby="address-list-heading">
              {data.addresses.map((entry) => (
                <AddressItem
                  key={entry.id}
                  entry={entry}
                  onRemoved={() => {
                    onChanged();
                    // Its Remove button is gone with it.
                    focusList();
                  }}
                />
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {assets && assets.length > 0 ? <AddAddressForm assets={assets} onAdded={onChanged} /> : null}
    </section>
  );
}
