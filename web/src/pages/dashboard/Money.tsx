/**
 * The dashboard's money (custody): the portfolio (with test money on development installations),
 * buying and selling, deposit addresses and the history. The balances are loaded once here and
 * shared; after money moves (a trade, test money) the balances and the history load again.
 */
import { useCallback, useState } from 'react';
import { useAppInfo } from '../../app-info.ts';
import { Deposit } from '../../components/custody/Deposit.tsx';
import { Faucet } from '../../components/custody/Faucet.tsx';
import { History } from '../../components/custody/History.tsx';
import { Portfolio } from '../../components/custody/Portfolio.tsx';
import { Trade } from '../../components/custody/Trade.tsx';
import type { BalancesBody } from '../../components/custody/types.ts';
import '../../components/custody/custody.css';
import '../../components/security/security.css';
import { useSecurityData } from '../../components/security/useSecurityData.ts';

export function Money() {
  const [moves, setMoves] = useState(0);
  const balances = useSecurityData<BalancesBody>('/api/balances', moves);
  const faucet = useAppInfo()?.faucet === true;
  const assets = balances.data?.assets ?? null;
  const moneyMoved = useCallback(() => setMoves((n) => n + 1), []);

  return (
    <>
      <Portfolio balances={balances}>{faucet && assets ? <Faucet assets={assets} onCredited={moneyMoved} /> : null}</Portfolio>
      <Trade assets={assets} onTraded={moneyMoved} />
      <Deposit />
      <History symbols={assets?.map((asset) => asset.symbol) ?? []} refreshKey={moves} />
    </>
  );
}
