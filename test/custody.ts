/** Custody in tests: a funded, verified account with prices set, and a withdrawal asked for and confirmed over HTTP. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { creditDeposit } from '../src/flows/custody/deposits.ts';
import { setPrice } from '../src/ledger/prices.ts';
import { enrolledUser, type Enrolled } from './accounts.ts';
import type { TestClient } from './client.ts';
import type { TestApp } from './harness.ts';
import { db, userRow } from './queries.ts';

export const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
export const ETH_ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

export const randomTxid = () => randomBytes(32).toString('hex');

export async function setPrices(t: TestApp, table: Record<string, string> = { BTC: '50000', ETH: '2500', USDC: '1' }): Promise<void> {
  for (const [asset, usd] of Object.entries(table)) await setPrice(t.deps.store.db, { asset, usd, by: 'test', now: t.clock.now() });
}

/** An enrolled account (its strong factor fresh), identity level `kyc` (1 by default), with the deposits credited and prices set. */
export async function withdrawer(t: TestApp, deposits: Record<string, string> = { BTC: '0.1' }, kyc = 1): Promise<Enrolled & { id: string }> {
  const user = await enrolledUser(t);
  const id = (await userRow(t, user.email)).id;
  await db(t).updateTable('users').set({ kyc_level: kyc }).where('id', '=', id).execute();
  for (const [asset, amount] of Object.entries(deposits)) await creditDeposit(t.deps, { email: user.email, asset, amount, txid: randomTxid() });
  await setPrices(t);
  return { ...user, id };
}

export const withdraw = (client: TestClient, body: Record<string, string>, key?: string) =>
  client.post('/api/withdrawals', { asset: 'BTC', network: 'bitcoin', ...body }, key ? { 'idempotency-key': key } : {});

/** The token of the latest withdrawal confirmation mailed to `email`. */
export async function withdrawalToken(t: TestApp, email: string): Promise<string> {
  const mail = (await t.mailTo(email)).filter((m) => m.subject.startsWith('Bastion: Confirm your withdrawal of')).at(-1);
  if (!mail) throw new Error(`no withdrawal confirmation mailed to ${email}`);
  const token = /confirm-withdrawal\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  expect(token, 'a confirmation link').toBeTruthy();
  return token!;
}

/** BTC balances of the account: [available, held] as the API shows them. */
export async function btcBalance(client: TestClient): Promise<[string, string]> {
  const btc = (await client.get('/api/balances')).body.assets.find((a: { symbol: string }) => a.symbol === 'BTC');
  return [btc.available, btc.held];
}

/** The account's ledger holds still pending (funds held for withdrawals not yet sent or stopped). */
export const pendingHolds = (t: TestApp, userId: string) =>
  db(t).selectFrom('ledger_holds').selectAll().where('user_id', '=', userId).where('status', '=', 'pending').execute();
