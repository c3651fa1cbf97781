/**
 * A withdrawal, the user's side: the request (after the route's fresh strong step-up) holds the
 * amount and the fee at once and emails a link (30 minutes, once); the link queues it for the
 * operator. Everything that decides whether it may go is checked under the account's lock in the
 * transaction that holds the funds: the account's locks and holds (withdrawal-lock.ts), the
 * destination (a usable address-book entry, or with whitelist-only off any valid address), the
 * asset's minimum, the daily limit, and the balance itself (the ledger refuses to go below zero).
 */
import { randomUUID } from 'node:crypto';
import { sendAlert } from '../../account/alerts.ts';
import { confirmBinding, OPEN_STATUSES, stopWithdrawal } from '../../account/open-withdrawals.ts';
import { consumeToken, findToken, issueToken } from '../../account/tokens.ts';
import { findUserById, lockUser, type User } from '../../account/users.ts';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { IDEMPOTENCY_KEY_KEPT_MS } from '../../contracts/common.ts';
import type { WithdrawalBody, WithdrawalEntry } from '../../contracts/withdrawals.ts';
import type { Deps } from '../../deps.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../errors/app-error.ts';
import { formatDecimal } from '../../ledger/amounts.ts';
import type { Asset } from '../../ledger/assets.ts';
import { holdFunds } from '../../ledger/holds.ts';
import { formatUsd, freshPrices, usdCents } from '../../ledger/prices.ts';
import { inTransaction, type Tx } from '../../store/database.ts';
import type { WithdrawalAddressesTable } from '../../store/schema.ts';
import { checkedAddress, entryOf } from './address-book.ts';
import { amountOf, assetOf } from './assets.ts';
import { limitUse, remainingCents } from './withdrawal-limits.ts';
import { withdrawalAvailability } from './withdrawal-lock.ts';
import { expireDueWithdrawals } from './withdrawal-expiry.ts';
import { withdrawalView } from './withdrawal-views.ts';
import { whitelistState } from './whitelist-mode.ts';

interface Destination {
  address: string;
  addressId: string | null;
  label: string | null;
}

/** An address-book entry a withdrawal may use now, or why not. */
function usableEntry(row: WithdrawalAddressesTable, now: number): Destination {
  const entry = entryOf(row, now);
  if (entry.status === 'unconfirmed') throw new AppError(409, 'address_not_usable', 'This address is not confirmed yet: open the link we emailed when you added it.', { usableFrom: null });
  if (entry.status === 'pending') throw new AppError(409, 'address_not_usable', `This address is usable from ${entry.usableFrom}.`, { usableFrom: entry.usableFrom });
  return { address: row.address, addressId: row.id, label: row.label };
}

async function destinationOf(deps: Deps, tx: Tx, userId: string, asset: Asset, input: WithdrawalBody, now: number): Promise<Destination> {
  if (input.addressId !== undefined) {
    const row = await tx.selectFrom('withdrawal_addresses').selectAll().where('id', '=', input.addressId).where('user_id', '=', userId).executeTakeFirst();
    if (!row) throw notFound('not_found', 'No such address in your address book.');
    if (row.asset !== asset.symbol) throw badRequest('invalid_request', `addressId: this address-book entry is for ${row.asset}, not ${asset.symbol}.`);
    return usableEntry(row, now);
  }
  const address = checkedAddress(deps, asset.network, input.address!);
  const row = await tx.selectFrom('withdrawal_addresses').selectAll().where('user_id', '=', userId).where('asset', '=', asset.symbol).where('address', '=', address).executeTakeFirst();
  if (row && entryOf(row, now).status === 'usable') return { address, addressId: row.id, label: row.label };
  if (!(await whitelistState(tx, userId, now)).whitelistOnly) return { address, addressId: null, label: null };
  if (row) return usableEntry(row, now);
  throw forbidden('address_not_whitelisted', 'Whitelist-only withdrawals are on: this address is not in your address book. Add it there first, or choose one that is usable.');
}

/** The USD value of what leaves (amount and fee) at the current price, rounded up: the daily limit is in USD. */
async function valueCents(deps: Deps, tx: Tx, asset: Asset, total: bigint, now: number): Promise<bigint> {
  const price = (await freshPrices(tx, now, deps.config.custody.priceMaxAgeMs)).get(asset.symbol);
  if (!price) throw conflict('price_unavailable', `There is no current USD price for ${asset.symbol}, which the daily withdrawal limit needs. Try again later.`);
  return usdCents(total, asset.decimals, price.usd, 'up');
}

const refusal = (availability: { message: string | null; reason: string | null; until: string | null }) =>
  forbidden('withdrawals_locked', availability.message ?? 'Withdrawals are stopped on this account.', { reason: availability.reason, until: availability.until });

/**
 * POST /api/withdrawals (the route has checked the fresh strong step-up). `idempotencyKey` ties a
 * retry to the withdrawal it made; `replayed` is told when the answer is that earlier withdrawal.
 */
export async function requestWithdrawal(
  deps: Deps,
  sessionUser: User,
  input: WithdrawalBody,
  client: ClientInfo,
  idempotencyKey: string | null,
  replayed: () => void = () => {},
): Promise<WithdrawalEntry> {
  const asset = assetOf(deps, input.asset);
  if (asset.network !== input.network) throw badRequest('invalid_request', `network: ${asset.symbol} is withdrawn on ${asset.network}.`);
  const amount = amountOf(asset, input.amount);
  if (amount < asset.minWithdrawal) throw badRequest('invalid_amount', `amount: the smallest ${asset.symbol} withdrawal is ${formatDecimal(asset.minWithdrawal, asset.decimals)}.`);
  await expireDueWithdrawals(deps, sessionUser.id);
  return inTransaction(deps.store.db, async (tx) => {
    await lockUser(tx, deps.store.dialect, sessionUser.id);
    const user = (await findUserById(tx, sessionUser.id))!;
    const now = deps.clock.now();
    if (idempotencyKey !== null) {
      // A retry whose first answer was lost (the process died after the work was done): the withdrawal it made.
      const made = await tx.selectFrom('withdrawals').selectAll().where('user_id', '=', user.id).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
      if (made) {
        const same = made.asset === asset.symbol && BigInt(made.amount) === amount && (input.addressId !== undefined ? made.address_id === input.addressId : made.address === checkedAddress(deps, asset.network, input.address!));
        // A key is good for a day (as its kept answer): after that it may not make a new withdrawal either.
        if (!same || now - made.created_at >= IDEMPOTENCY_KEY_KEPT_MS) throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another request: use a new key for a new request.');
        replayed();
        return withdrawalView(deps, made);
      }
    }
    const availability = await withdrawalAvailability(deps, user, tx);
    if (!availability.allowed) throw refusal(availability);
    const destination = await destinationOf(deps, tx, user.id, asset, input, now);
    const cents = await valueCents(deps, tx, asset, amount + asset.withdrawalFee, now);
    const use = await limitUse(deps, tx, user);
    if (cents > remainingCents(use)) {
      throw forbidden('withdrawal_limit_exceeded', `This is worth ${formatUsd(cents)} USD; your daily withdrawal limit is ${formatUsd(use.dailyCents)} USD and ${formatUsd(remainingCents(use))} USD of it is left for the next 24 hours.`, {
        remainingUsd: formatUsd(remainingCents(use)),
      });
    }
    const id = randomUUID();
    const fee = asset.withdrawalFee;
    // The amount and the fee leave the available balance now; the ledger refuses it if they are not there.
    const holdId = await holdFunds(tx, now, { userId: user.id, asset: asset.symbol, amount: amount + fee, reference: `withdrawal:${id}`, data: { withdrawalId: id } });
    const expiresAt = now + 30 * 60_000;
    const row = {
      id,
      user_id: user.id,
      asset: asset.symbol,
      network: asset.network,
      address: destination.address,
      address_id: destination.addressId,
      label: destination.label,
      amount: amount.toString(),
      fee: fee.toString(),
      usd_cents: Number(cents),
      hold_id: holdId,
      status: 'awaiting_confirmation' as const,
      idempotency_key: idempotencyKey,
      confirm_expires_at: expiresAt,
      confirmed_at: null,
      txid: null,
      broadcast_at: null,
      completed_at: null,
      ended_at: null,
      end_reason: null,
      created_at: now,
    };
    await tx.insertInto('withdrawals').values(row).execute();
    const token = await issueToken(deps, tx, { purpose: 'withdrawal_confirm', userId: user.id, boundTo: confirmBinding(id), expiresAt });
    const view = withdrawalView(deps, row);
    await sendAlert(deps, tx, user, 'withdrawal_confirm', {
      amount: view.amount,
      fee: view.fee,
      asset: asset.symbol,
      network: asset.network,
      address: destination.address,
      label: destination.label,
      link: `${deps.config.baseUrl}/confirm-withdrawal?token=${token}`,
      expiresAt,
      at: now,
    });
    await deps.audit.record(tx, { type: 'withdrawal.requested', ...self(user.id), client, data: { withdrawalId: id, asset: asset.symbol, amount: row.amount, fee: row.fee, address: destination.address, addressId: destination.addressId } });
    return view;
  });
}

/**
 * POST /api/withdrawals/confirm: the emailed link (no sign-in needed). The account is checked again:
 * a lock or a security hold that began since the request stops the withdrawal (its funds return),
 * and so does whitelist-only when its address is no longer a usable entry.
 */
export async function confirmWithdrawal(deps: Deps, token: string, client: ClientInfo): Promise<WithdrawalEntry> {
  const invalid = () => badRequest('invalid_token', 'This link is not valid: it has expired or was already used, or the withdrawal was cancelled.');
  const found = await findToken(deps, deps.store.db, 'withdrawal_confirm', token);
  if (!found) throw invalid();
  const outcome = await inTransaction(deps.store.db, async (tx) => {
    // The account first, then the link: the order every other change to the account takes them in.
    await lockUser(tx, deps.store.dialect, found.user_id);
    const used = await consumeToken(deps, tx, { purpose: 'withdrawal_confirm', secret: token });
    const id = used?.bound_to?.startsWith('wd:') ? used.bound_to.slice(3) : null;
    const row = id ? await tx.selectFrom('withdrawals').selectAll().where('id', '=', id).where('user_id', '=', used!.user_id).executeTakeFirst() : undefined;
    const now = deps.clock.now();
    if (!used || !row || row.status !== 'awaiting_confirmation' || now >= row.confirm_expires_at) throw invalid();
    const user = (await findUserById(tx, row.user_id))!;
    const availability = await withdrawalAvailability(deps, user, tx);
    let stoppedBecause: string | null = availability.allowed ? null : `it could not be confirmed (${(availability.message ?? 'withdrawals are stopped').replace(/\.$/, '')})`;
    if (stoppedBecause === null && (await whitelistState(tx, user.id, now)).whitelistOnly) {
      const entry = row.address_id ? await tx.selectFrom('withdrawal_addresses').selectAll().where('id', '=', row.address_id).executeTakeFirst() : undefined;
      if (!entry || entryOf(entry, now).status !== 'usable') stoppedBecause = 'its address is no longer a usable entry of your address book, and whitelist-only withdrawals are on';
    }
    if (stoppedBecause !== null) {
      await stopWithdrawal(deps, tx, { row, email: user.email, outcome: 'cancelled', reason: stoppedBecause, actor: self(user.id).actor, from: ['awaiting_confirmation'], client });
      return { refused: availability.allowed ? forbidden('address_not_whitelisted', `The withdrawal was cancelled: ${stoppedBecause}.`) : refusal(availability) };
    }
    const claimed = await tx.updateTable('withdrawals').set({ status: 'queued', confirmed_at: now }).where('id', '=', row.id).where('status', '=', 'awaiting_confirmation').executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw invalid();
    const queued = { ...row, status: 'queued' as const, confirmed_at: now };
    const view = withdrawalView(deps, queued);
    await sendAlert(deps, tx, user, 'withdrawal_queued', { amount: view.amount, asset: row.asset, address: row.address, at: now });
    await deps.audit.record(tx, { type: 'withdrawal.confirmed', ...self(user.id), client, data: { withdrawalId: row.id } });
    return { view };
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.view;
}

/** DELETE /api/withdrawals/{id}: cancelled while it is not sent yet; the funds and the fee return. */
export async function cancelWithdrawal(deps: Deps, user: User, id: string, client: ClientInfo): Promise<WithdrawalEntry> {
  return inTransaction(deps.store.db, async (tx) => {
    await lockUser(tx, deps.store.dialect, user.id);
    const row = await tx.selectFrom('withdrawals').selectAll().where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
    if (!row) throw notFound('not_found', 'No such withdrawal.');
    const stopped = await stopWithdrawal(deps, tx, { row, email: user.email, outcome: 'cancelled', reason: 'you cancelled it', actor: self(user.id).actor, from: OPEN_STATUSES, client });
    if (!stopped) throw conflict('withdrawal_not_cancellable', row.status === 'broadcast' || row.status === 'completed' ? 'This withdrawal was sent already: it cannot be cancelled.' : 'This withdrawal has ended already.');
    return withdrawalView(deps, (await tx.selectFrom('withdrawals').selectAll().where('id', '=', id).executeTakeFirst())!);
  });
}
