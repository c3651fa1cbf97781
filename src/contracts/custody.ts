/**
 * The dashboard's money (custody): balances on the ledger, the history of movements, deposit
 * addresses, and quotes to buy or sell. Every amount is a decimal string in the asset's own units
 * ("0.015"), never a number; USD values are decimal strings with 2 places.
 */
import { z } from 'zod';

const iso = z.string();
const decimal = z.string().describe('A decimal amount in the asset’s units, e.g. "0.015"');
const symbol = z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9]{2,10}$/, { message: 'must be an asset symbol such as BTC' }));
const amountField = z.string().trim().min(1, { message: 'is required' }).max(80, { message: 'is far too long' });

/** GET /api/balances */
export const balancesBody = z.object({
  assets: z.array(
    z.object({
      symbol: z.string(),
      name: z.string(),
      network: z.string(),
      decimals: z.number().int(),
      /** Added on top of each withdrawal, and the smallest withdrawal (ASSETS). */
      withdrawalFee: decimal,
      minWithdrawal: decimal,
      available: decimal,
      held: decimal,
      /** USD per whole unit, null when no price is set or it is older than PRICE_MAX_AGE. */
      usdPrice: z.string().nullable(),
      /** (available + held) × price, 2 places; null without a price. */
      usdValue: z.string().nullable(),
    }),
  ),
  /** The sum of the assets that have a price. */
  totalUsd: z.string(),
  /** The oldest price used, if any. */
  pricesAt: iso.nullable(),
});
export type BalancesBody = z.infer<typeof balancesBody>;

export const HISTORY_KINDS = ['deposit', 'trade', 'withdrawal'] as const;

/** GET /api/history?asset=&cursor= */
export const historyQuery = z.strictObject({ asset: symbol.optional(), cursor: z.string().max(200).optional() });
export const historyBody = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: iso,
      kind: z.enum(HISTORY_KINDS),
      /** What happened, in words ("Deposit", "Bought ETH with USDC", "Withdrawal sent"). */
      title: z.string(),
      /** What moved on the user's available balance, per asset (signed decimals: "-250", "0.1"). */
      movements: z.array(z.object({ asset: z.string(), amount: z.string() })),
      /** A deposit's or withdrawal's transaction id, when there is one. */
      txid: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type HistoryBody = z.infer<typeof historyBody>;

/** GET /api/deposit-addresses: one address per network (the same for every asset on it). */
export const depositAddressesBody = z.object({
  addresses: z.array(z.object({ network: z.string(), address: z.string(), assets: z.array(z.string()) })),
});
export type DepositAddressesBody = z.infer<typeof depositAddressesBody>;

/** POST /api/quotes: pay `amount` of `from`, receive `to`. */
export const quoteBody = z.strictObject({ from: symbol, to: symbol, amount: amountField });
export type QuoteRequest = z.infer<typeof quoteBody>;
export const quoteAnswer = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  /** What is paid, in `from` (the fee is part of it). */
  amount: decimal,
  fee: decimal,
  /** What is received, in `to`. */
  receive: decimal,
  /** How much `to` one `from` buys at this quote, before the fee. */
  rate: z.string(),
  feeBps: z.number().int(),
  expiresAt: iso,
});
export type QuoteAnswer = z.infer<typeof quoteAnswer>;

export const quoteParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { message: 'is not a quote id this API gave out' }) });
export const tradeAnswer = quoteAnswer.extend({ status: z.literal('filled'), filledAt: iso });
export type TradeAnswer = z.infer<typeof tradeAnswer>;

/** POST /api/dev/faucet (development only): test money. */
export const faucetBody = z.strictObject({ asset: symbol });
export const faucetAnswer = z.object({ status: z.literal('credited'), asset: z.string(), amount: decimal });
