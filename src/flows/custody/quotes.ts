/**
 * Buy and sell: a quote fixes the price for 15 seconds (from the admin's price table, refused when a
 * price is older than PRICE_MAX_AGE); accepting it within that time moves the balances in one
 * journal entry, once — the quote is marked accepted in the same transaction, so a second accept
 * (or a racing one) finds it used. The fee (TRADE_FEE_BPS) is taken from what is paid.
 */
import { randomUUID } from 'node:crypto';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { isoTime } from '../../clock.ts';
import type { QuoteAnswer, QuoteRequest, TradeAnswer } from '../../contracts/custody.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, notFound } from '../../errors/app-error.ts';
import { formatDecimal, parseDecimal, units } from '../../ledger/amounts.ts';
import { available, platform, post } from '../../ledger/ledger.ts';
import { freshPrices, PRICE_DECIMALS } from '../../ledger/prices.ts';
import { inTransaction } from '../../store/database.ts';
import type { QuotesTable } from '../../store/schema.ts';
import { amountOf, assetOf } from './assets.ts';

export const QUOTE_TTL_MS = 15_000;

function answer(deps: Deps, q: QuotesTable): QuoteAnswer {
  const from = assetOf(deps, q.from_asset);
  const to = assetOf(deps, q.to_asset);
  const [pf, pt] = [parseDecimal(q.from_usd, PRICE_DECIMALS)!, parseDecimal(q.to_usd, PRICE_DECIMALS)!];
  return {
    id: q.id,
    from: q.from_asset,
    to: q.to_asset,
    amount: formatDecimal(units(q.amount), from.decimals),
    fee: formatDecimal(units(q.fee), from.decimals),
    receive: formatDecimal(units(q.receive), to.decimals),
    rate: formatDecimal((pf * 10n ** BigInt(PRICE_DECIMALS)) / pt, PRICE_DECIMALS),
    feeBps: deps.config.custody.tradeFeeBps,
    expiresAt: isoTime(q.expires_at)!,
  };
}

export async function makeQuote(deps: Deps, userId: string, input: QuoteRequest): Promise<QuoteAnswer> {
  const from = assetOf(deps, input.from, 'from');
  const to = assetOf(deps, input.to, 'to');
  if (from.symbol === to.symbol) throw badRequest('invalid_request', 'to: must be another asset than from.');
  const amount = amountOf(from, input.amount);
  const now = deps.clock.now();
  const prices = await freshPrices(deps.store.db, now, deps.config.custody.priceMaxAgeMs);
  const pf = prices.get(from.symbol)?.usd;
  const pt = prices.get(to.symbol)?.usd;
  if (!pf || !pt) throw conflict('price_unavailable', `No current USD price for ${!pf ? from.symbol : to.symbol}: trading it is paused until one is set.`);
  // The fee is rounded up and the amount received down: rounding never favours the trade.
  const bps = BigInt(deps.config.custody.tradeFeeBps);
  const fee = (amount * bps + 9_999n) / 10_000n;
  const receive = ((amount - fee) * pf * 10n ** BigInt(to.decimals)) / (pt * 10n ** BigInt(from.decimals));
  if (receive <= 0n) throw badRequest('invalid_amount', `amount: too small to buy any ${to.symbol}.`);
  const quote: QuotesTable = {
    id: randomUUID(),
    user_id: userId,
    from_asset: from.symbol,
    to_asset: to.symbol,
    amount: amount.toString(),
    fee: fee.toString(),
    receive: receive.toString(),
    from_usd: formatDecimal(pf, PRICE_DECIMALS),
    to_usd: formatDecimal(pt, PRICE_DECIMALS),
    expires_at: now + QUOTE_TTL_MS,
    accepted_at: null,
    created_at: now,
  };
  await deps.store.db.insertInto('quotes').values(quote).execute();
  return answer(deps, quote);
}

export async function acceptQuote(deps: Deps, userId: string, quoteId: string, client: ClientInfo): Promise<TradeAnswer> {
  return inTransaction(deps.store.db, async (tx) => {
    const now = deps.clock.now();
    // The claim comes first (SQLite takes its write lock before anything is read): once, in time, one's own.
    const claimed = await tx
      .updateTable('quotes')
      .set({ accepted_at: now })
      .where('id', '=', quoteId)
      .where('user_id', '=', userId)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    const quote = await tx.selectFrom('quotes').selectAll().where('id', '=', quoteId).where('user_id', '=', userId).executeTakeFirst();
    if (!quote) throw notFound('not_found', 'No such quote.');
    if (Number(claimed.numUpdatedRows) !== 1) {
      if (quote.accepted_at !== null) throw conflict('quote_used', 'This quote was accepted already.');
      throw badRequest('quote_expired', 'This quote has expired: ask for a new one.');
    }
    const [amount, fee, receive] = [units(quote.amount), units(quote.fee), units(quote.receive)];
    await post(tx, now, {
      kind: 'trade',
      userId,
      reference: quote.id,
      data: { from: quote.from_asset, to: quote.to_asset },
      legs: [
        { account: available(userId, quote.from_asset), amount: -amount },
        ...(fee > 0n ? [{ account: platform('fees', quote.from_asset), amount: fee }] : []),
        { account: platform('market', quote.from_asset), amount: amount - fee },
        { account: platform('market', quote.to_asset), amount: -receive },
        { account: available(userId, quote.to_asset), amount: receive },
      ],
    });
    await deps.audit.record(tx, { type: 'custody.trade', ...self(userId), client, data: { quoteId: quote.id, from: quote.from_asset, to: quote.to_asset, amount: quote.amount, receive: quote.receive } });
    return { ...answer(deps, { ...quote, accepted_at: now }), status: 'filled', filledAt: isoTime(now)! };
  });
}
