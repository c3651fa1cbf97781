/**
 * The dashboard's money (custody): the portfolio (with test money on development installations),
 * buying and selling, deposit addresses, withdrawing, the address book, the withdrawals and the
 * history. The balances, the address book, whether withdrawals are allowed and the withdrawals are
 * loaded here and shared; after money moves (a trade, test money, a withdrawal asked for or
 * cancelled) the balances, the lists and the withdrawal state load again.
 */
import { useCallback, useState } from 'react';
import { useAppInfo } from '../../app-info.ts';
import { AddressBook } from '../../components/custody/AddressBook.tsx';
import { Deposit } from '../../components/custody/Deposit.tsx';
import { Faucet } from '../../components/custody/Faucet.tsx';
import { History } from '../../components/custody/History.tsx';
import { Portfolio } from '../../components/custody/Portfolio.tsx';
import { Trade } from '../../components/custody/Trade.tsx';
import type { AddressBookBody, BalancesBody, WithdrawalAvailability } from '../../components/custody/types.ts';
import { Withdraw } from '../../components/custody/Withdraw.tsx';
import { useWithdrawals, Withdrawals } from '../../components/custody/Withdrawals.tsx';
import '../../components/custody/custody.css';
import '../../components/security/security.css';
import { useSecurityData } from '../../components/security/useSecurityData.ts';

export function Money() {
  const [moves, setMoves] = useState(0);
  const [bookChanges, setBookChanges] = useState(0);
  const balances = useSecurityData<BalancesBody>('/api/balances', moves);
  const book = useSecurityData<AddressBookBody>('/api/withdrawal-addresses', bookChanges);
  const availability = useSecurityData<WithdrawalAvailability>('/api/withdrawals/availability', moves);
  const withdrawals = useWithdrawals(moves);
  const faucet = useAppInfo()?.faucet === true;
  const assets = balances.data?.assets ?? null;
  const moneyMoved = useCallback(() => setMoves((n) => n + 1), []);
  const bookChanged = useCallback(() => setBookChanges((n) => n + 1), []);

  return (
    <>
      <Portfolio balances={balances}>{faucet && assets ? <Faucet assets={assets} onCredited={moneyMoved} /> : null}</Portfolio>
      <Trade assets={assets} onTraded={moneyMoved} />
      <Deposit />
      <Withdraw assets={assets} book={book.data} availability={availability} limit={withdrawals.latest?.limit ?? null} onRequested={moneyMoved} />
      <AddressBook assets={assets} book={book} onChanged={bookChanged} />
      <Withdrawals pages={withdrawals} onChanged={moneyMoved} />
      <History symbols={assets?.map((asset) => asset.symbol) ?? []} refreshKey={moves} />
    </>
  );
}
