/** The custody contract's shapes the dashboard passes around (types only: the schemas stay on the server). */
import type { BalancesBody, DepositAddressesBody, HistoryBody } from '../../../../src/contracts/custody.ts';

export type { BalancesBody, DepositAddressesBody, HistoryBody, QuoteAnswer, TradeAnswer } from '../../../../src/contracts/custody.ts';

/** One asset's line of GET /api/balances. */
export type AssetBalance = BalancesBody['assets'][number];
/** One entry of GET /api/history. */
export type HistoryEntry = HistoryBody['entries'][number];
/** One network's address of GET /api/deposit-addresses. */
export type DepositAddress = DepositAddressesBody['addresses'][number];

/** POST /api/dev/faucet's answer (the contract exports its schema only). */
export interface FaucetAnswer {
  status: 'credited';
  asset: string;
  amount: string;
}
