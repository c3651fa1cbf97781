/**
 * Deposits. Each user has one index, assigned once, and an address per network derived from the
 * platform's extended public keys at that index (BIP84 for Bitcoin, BIP44 for the EVM networks: the
 * same address on Ethereum and Cronos). No chain is watched here: an operator credits what arrived
 * (`bastion deposit credit`), once per network and transaction id, and the user is emailed.
 */
import { randomBytes } from 'node:crypto';
import { findUserByEmail, normalizeEmail } from '../../account/users.ts';
import { SYSTEM, type Actor } from '../../audit/audit.ts';
import type { DepositAddressesBody } from '../../contracts/custody.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, notFound } from '../../errors/app-error.ts';
import { formatDecimal } from '../../ledger/amounts.ts';
import { NETWORKS, type Asset, type Network } from '../../ledger/assets.ts';
import { available, platform, post } from '../../ledger/ledger.ts';
import { inTransaction } from '../../store/database.ts';
import { depositAddress } from '../../wallet/watch-only.ts';
import { amountOf, assetOf } from './assets.ts';

/** The user's deposit index, assigned on first use (two first uses at once get the same one). */
export async function depositIndexOf(deps: Deps, userId: string): Promise<number> {
  const db = deps.store.db;
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await db.selectFrom('deposit_indexes').select('idx').where('user_id', '=', userId).executeTakeFirst();
    if (found) return found.idx;
    const last = await db.selectFrom('deposit_indexes').select((eb) => eb.fn.max('idx').as('idx')).executeTakeFirst();
    // A unique index on both columns: a race for the same user or the same index inserts nothing here and tries again.
    await db
      .insertInto('deposit_indexes')
      .values({ user_id: userId, idx: Number(last?.idx ?? -1) + 1, created_at: deps.clock.now() })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  throw new Error('could not assign a deposit index');
}

export async function listDepositAddresses(deps: Deps, userId: string): Promise<DepositAddressesBody> {
  const index = await depositIndexOf(deps, userId);
  const { assets, depositKeys } = deps.config.custody;
  const networks = NETWORKS.filter((n) => assets.some((a) => a.network === n));
  return {
    addresses: networks.map((network) => ({
      network,
      address: depositAddress(network, network === 'bitcoin' ? depositKeys.bitcoin : depositKeys.evm, index),
      assets: assets.filter((a) => a.network === network).map((a) => a.symbol),
    })),
  };
}

export interface Credit {
  email: string;
  asset: string;
  amount: string;
  txid: string;
  /** Which output of the transaction (a Bitcoin vout, an EVM log index): one transaction may pay many. */
  output?: number;
}

export type Credited = { credited: true; entryId: string; asset: Asset; units: bigint } | { credited: false; entryId: string };

/** A transaction id in its network's one spelling (64 hex digits; "0x" first on the EVM networks), or 400. */
export function canonicalTxid(network: Network, text: string): string {
  const match = /^(0x)?([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!match || (network === 'bitcoin' && match[1])) throw badRequest('invalid_request', `txid: must be the ${network} transaction id: 64 hexadecimal digits${network === 'bitcoin' ? '' : ', with or without 0x'}.`);
  return network === 'bitcoin' ? match[2]!.toLowerCase() : `0x${match[2]!.toLowerCase()}`;
}

/**
 * Credits a deposit that arrived on the network, once per transaction output: crediting the same
 * output again changes nothing; crediting it to another account, asset or amount is refused (409).
 */
export async function creditDeposit(deps: Deps, input: Credit, actor: Actor = SYSTEM): Promise<Credited> {
  const asset = assetOf(deps, input.asset.toUpperCase());
  const units = amountOf(asset, input.amount);
  const user = await findUserByEmail(deps.store.db, normalizeEmail(input.email));
  if (!user) throw notFound('not_found', `No account has the address ${input.email}.`);
  const txid = canonicalTxid(asset.network, input.txid);
  const output = input.output ?? 0;
  if (!Number.isSafeInteger(output) || output < 0) throw badRequest('invalid_request', 'output: must be the output’s index, 0 or more.');
  const data = { txid, output, network: asset.network, asset: asset.symbol, amount: units.toString() };
  return inTransaction(deps.store.db, async (tx) => {
    const now = deps.clock.now();
    const posted = await post(tx, now, {
      kind: 'deposit',
      userId: user.id,
      reference: `${asset.network}:${txid}:${output}`,
      data,
      legs: [
        { account: platform('world', asset.symbol), amount: -units },
        { account: available(user.id, asset.symbol), amount: units },
      ],
    });
    if (posted.existed) {
      const before = await tx.selectFrom('journal_entries').select(['user_id', 'data']).where('id', '=', posted.entryId).executeTakeFirstOrThrow();
      const was = JSON.parse(before.data) as typeof data;
      if (before.user_id !== user.id || was.asset !== data.asset || was.amount !== data.amount) {
        throw conflict('deposit_mismatch', `This transaction output was credited already, to another account, asset or amount (entry ${posted.entryId}): check the txid and output.`);
      }
      return { credited: false, entryId: posted.entryId };
    }
    await deps.mail.send(tx, 'deposit_credited', user.email, { asset: asset.symbol, amount: formatDecimal(units, asset.decimals), network: asset.network, txid, at: now });
    await deps.audit.record(tx, { type: 'custody.deposit_credited', actor, subject: user.id, client: null, data: { asset: asset.symbol, amount: units.toString(), txid, entryId: posted.entryId } });
    return { credited: true, entryId: posted.entryId, asset, units };
  });
}

/** Development's test money: a fixed amount per asset, credited as a deposit. */
export const FAUCET_AMOUNTS: Record<string, string> = { BTC: '0.05', ETH: '1', CRO: '5000', USDC: '1000', USDT: '1000' };

export async function faucet(deps: Deps, userId: string, email: string, symbol: string): Promise<{ asset: string; amount: string }> {
  const asset = assetOf(deps, symbol);
  const amount = FAUCET_AMOUNTS[asset.symbol] ?? '1';
  // A made-up transaction id of the network's form: nothing on any chain has it.
  await creditDeposit(deps, { email, asset: asset.symbol, amount, txid: randomBytes(32).toString('hex') }, { kind: 'user', id: userId });
  return { asset: asset.symbol, amount };
}
