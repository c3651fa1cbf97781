/** The custody contract's shapes the dashboard passes around (types only: the schemas stay on the server). */
import type { BalancesBody, DepositAddressesBody, HistoryBody } from '../../../../src/contracts/custody.ts';
import type { AddAddressBody } from '../../../../src/contracts/withdrawal-addresses.ts';
import type { WithdrawalEntry } from '../../../../src/contracts/withdrawals.ts';

export type { BalancesBody, DepositAddressesBody, HistoryBody, QuoteAnswer, TradeAnswer } from '../../../../src/contracts/custody.ts';
export type { AddAddressBody, AddressBookBody, AddressEntry, WithdrawalAvailability } from '../../../../src/contracts/withdrawal-addresses.ts';
export type { WithdrawalBody, WithdrawalEntry, WithdrawalsBody } from '../../../../src/contracts/withdrawals.ts';

/** One asset's line of GET /api/balances. */
export type AssetBalance = BalancesBody['assets'][number];
/** One entry of GET /api/history. */
export type HistoryEntry = HistoryBody['entries'][number];
/** One network's address of GET /api/deposit-addresses. */
export type DepositAddress = DepositAddressesBody['addresses'][number];
/** Where a withdrawal or an address-book entry goes: the networks the API takes. */
export type WithdrawalNetwork = AddAddressBody['network'];
export type WithdrawalStatus = WithdrawalEntry['status'];

/** POST /api/dev/faucet's answer (the contract exports its schema only). */
export interface FaucetAnswer {
  status: 'credited';
  asset: string;
  amount: string;
}
