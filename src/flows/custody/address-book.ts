/**
 * The withdrawal address book. An address is checked by its network's rule (base58check and
 * bech32/bech32m for Bitcoin, EIP-55 for the EVM networks) and kept in its canonical form. Adding
 * one takes a fresh strong step-up, then the link emailed to the owner (Kraken's rule); from the
 * confirmation it waits WHITELIST_ADDRESS_DELAY (Crypto.com and Coinbase International hold a new
 * address 24 hours) before a withdrawal may use it. Removing is immediate.
 */
import { randomUUID } from 'node:crypto';
import { securityChanged } from '../../account/security-change.ts';
import { consumeToken, issueToken } from '../../account/tokens.ts';
import { findUserById, lockUser, type User } from '../../account/users.ts';
import { self } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import { isoTime } from '../../clock.ts';
import type { AddAddressBody, AddressBookBody, AddressEntry } from '../../contracts/withdrawal-addresses.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors/app-error.ts';
import { isStaffLocked } from '../../account/staff-lock.ts';
import { inTransaction } from '../../store/database.ts';
import type { WithdrawalAddressesTable } from '../../store/schema.ts';
import { validateAddress } from '../../wallet/address-rules.ts';
import { assetOf } from './assets.ts';
import { whitelistState } from './whitelist-mode.ts';

const binding = (id: string) => `waddr:${id}`;

export function entryOf(row: WithdrawalAddressesTable, now: number): AddressEntry {
  const status = row.confirmed_at === null ? 'unconfirmed' : row.usable_from !== null && now >= row.usable_from ? 'usable' : 'pending';
  return { id: row.id, asset: row.asset, network: row.network, address: row.address, label: row.label, status, confirmedAt: isoTime(row.confirmed_at), usableFrom: isoTime(row.usable_from), createdAt: isoTime(row.created_at)! };
}

/** An address in its network's canonical form, or 400 invalid_address naming the rule. */
export function checkedAddress(deps: Deps, network: 'bitcoin' | 'ethereum' | 'cronos', address: string): string {
  const checked = validateAddress(network, address, { bitcoinTestnet: deps.config.custody.bitcoinTestnet });
  if (!checked.ok) throw badRequest('invalid_address', `address: ${checked.rule}`);
  return checked.address;
}

export async function addressBook(deps: Deps, userId: string): Promise<AddressBookBody> {
  const now = deps.clock.now();
  const rows = await deps.store.db.selectFrom('withdrawal_addresses').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  const mode = await whitelistState(deps.store.db, userId, now);
  return { addresses: rows.map((r) => entryOf(r, now)), whitelistOnly: mode.whitelistOnly, whitelistOffAt: isoTime(mode.offEffectiveAt) };
}

export async function addAddress(deps: Deps, user: User, input: AddAddressBody, client: ClientInfo): Promise<AddressEntry> {
  const asset = assetOf(deps, input.asset);
  if (asset.network !== input.network) throw badRequest('invalid_request', `network: ${asset.symbol} is withdrawn on ${asset.network}.`);
  const address = checkedAddress(deps, input.network, input.address);
  return inTransaction(deps.store.db, async (tx) => {
    // The account's changes to its address book are serialised: two adds of one address cannot both insert.
    await lockUser(tx, deps.store.dialect, user.id);
    const now = deps.clock.now();
    const taken = await tx.selectFrom('withdrawal_addresses').selectAll().where('user_id', '=', user.id).where('asset', '=', asset.symbol).where('address', '=', address).executeTakeFirst();
    if (taken && taken.confirmed_at !== null) throw conflict('address_exists', 'This address is in your address book for this asset already.');
    // Not confirmed yet (its link may have expired): a new link for it, under the new label.
    const row: WithdrawalAddressesTable = taken
      ? { ...taken, label: input.label }
      : { id: randomUUID(), user_id: user.id, asset: asset.symbol, network: input.network, address, label: input.label, confirmed_at: null, usable_from: null, created_at: now };
    if (taken) await tx.updateTable('withdrawal_addresses').set({ label: input.label }).where('id', '=', taken.id).execute();
    else await tx.insertInto('withdrawal_addresses').values(row).execute();
    const token = await issueToken(deps, tx, { purpose: 'withdrawal_address_confirm', userId: user.id, boundTo: binding(row.id) });
    await deps.mail.send(tx, 'withdrawal_address_confirm', user.email, { label: row.label, asset: row.asset, address, link: `${deps.config.baseUrl}/confirm-withdrawal-address?token=${token}`, hours: Math.round(deps.config.custody.whitelistAddressDelayMs / 3_600_000) });
    await deps.audit.record(tx, { type: 'withdrawal.address_requested', ...self(user.id), client, data: { addressId: row.id, asset: row.asset, address } });
    return entryOf(row, now);
  });
}

/** The emailed link: confirms the address (the owner is alerted with the lock link) and starts its delay. */
export async function confirmAddress(deps: Deps, token: string, client: ClientInfo): Promise<AddressEntry> {
  return inTransaction(deps.store.db, async (tx) => {
    const used = await consumeToken(deps, tx, { purpose: 'withdrawal_address_confirm', secret: token });
    const id = used?.bound_to?.startsWith('waddr:') ? used.bound_to.slice('waddr:'.length) : null;
    const row = id ? await tx.selectFrom('withdrawal_addresses').selectAll().where('id', '=', id).where('user_id', '=', used!.user_id).executeTakeFirst() : undefined;
    const invalid = () => badRequest('invalid_token', 'This link is not valid: it has expired or was already used, or the address was removed.');
    if (!used || !row || row.confirmed_at !== null) throw invalid();
    await lockUser(tx, deps.store.dialect, row.user_id);
    const user = (await findUserById(tx, row.user_id))!;
    // A locked account confirms nothing: whoever holds the link may be the reason it was locked.
    if (user.frozen_at !== null || isStaffLocked(user)) throw forbidden('account_frozen', 'This account is locked: nothing can be added to its address book until it is unlocked.');
    const now = deps.clock.now();
    const usableFrom = now + deps.config.custody.whitelistAddressDelayMs;
    const changed = await tx.updateTable('withdrawal_addresses').set({ confirmed_at: now, usable_from: usableFrom }).where('id', '=', row.id).where('confirmed_at', 'is', null).executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw invalid();
    await securityChanged(deps, tx, { kind: 'withdrawal_address_added', subject: user, actor: self(user.id).actor, client, alert: { label: row.label, address: row.address }, data: { addressId: row.id, asset: row.asset, usableFrom } });
    return entryOf({ ...row, confirmed_at: now, usable_from: usableFrom }, now);
  });
}

export async function removeAddress(deps: Deps, user: User, id: string, client: ClientInfo): Promise<void> {
  await inTransaction(deps.store.db, async (tx) => {
    await lockUser(tx, deps.store.dialect, user.id);
    const row = await tx.selectFrom('withdrawal_addresses').selectAll().where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
    if (!row) throw notFound('not_found', 'No such address in your address book.');
    // The link first, then the row: the order a confirmation takes them in.
    await tx.deleteFrom('one_time_tokens').where('purpose', '=', 'withdrawal_address_confirm').where('bound_to', '=', binding(id)).execute();
    await tx.deleteFrom('withdrawal_addresses').where('id', '=', id).execute();
    await deps.mail.send(tx, 'withdrawal_address_removed', user.email, { label: row.label, asset: row.asset, address: row.address, at: deps.clock.now() });
    await deps.audit.record(tx, { type: 'withdrawal.address_removed', ...self(user.id), client, data: { addressId: id, asset: row.asset, address: row.address } });
  });
}
