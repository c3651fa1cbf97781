/**
 * The dashboard's money over HTTP: deposit addresses derived from the platform's keys, a deposit
 * credited once per transaction, balances valued in USD, the history filtered by asset, and a quote
 * that trades once within its 15 seconds (expired, reused, unknown, non-positive and unaffordable
 * ones refused), with the ledger checking out after each.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enrolledUser, type Enrolled } from '../../../test/accounts.ts';
import { dialects, testApps, type TestApp } from '../../../test/harness.ts';
import { lastMail } from '../../../test/mail.ts';
import { auditOf, userRow } from '../../../test/queries.ts';
import { checkLedger } from '../../ledger/check.ts';
import { setPrice } from '../../ledger/prices.ts';
import { creditDeposit } from './deposits.ts';

async function funded(t: TestApp, deposits: Record<string, string> = {}): Promise<Enrolled & { id: string }> {
  const user = await enrolledUser(t);
  const id = (await userRow(t, user.email)).id;
  for (const [asset, amount] of Object.entries(deposits)) await creditDeposit(t.deps, { email: user.email, asset, amount, txid: randomBytes(32).toString('hex') });
  return { ...user, id };
}

async function prices(t: TestApp, table: Record<string, string>) {
  for (const [asset, usd] of Object.entries(table)) await setPrice(t.deps.store.db, { asset, usd, by: 'test', now: t.clock.now() });
}

describe.each(dialects)('custody on %s', (dialect) => {
  const app = testApps(dialect);

  it('derives each user’s deposit addresses once from the platform keys: one per network', async () => {
    const t = await app();
    const first = await enrolledUser(t);
    const second = await enrolledUser(t);
    const a = await first.client.get('/api/deposit-addresses');
    expect(a.status).toBe(200);
    // Index 0 of the "abandon … about" account keys (BIP84 and BIP44 test vectors).
    expect(a.body.addresses).toEqual([
      { network: 'bitcoin', address: 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu', assets: ['BTC'] },
      { network: 'ethereum', address: '0x9858EfFD232B4033E47d90003D41EC34EcaEda94', assets: ['ETH', 'USDC', 'USDT'] },
      { network: 'cronos', address: '0x9858EfFD232B4033E47d90003D41EC34EcaEda94', assets: ['CRO'] },
    ]);
    expect((await first.client.get('/api/deposit-addresses')).body).toEqual(a.body);
    const b = (await second.client.get('/api/deposit-addresses')).body.addresses;
    expect(b[0].address).toBe('bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g');
    expect(b[1].address).not.toBe(a.body.addresses[1].address);
  });

  it('credits a deposit once per transaction, emails the owner, and values the balances in USD', async () => {
    const t = await app();
    const user = await funded(t);
    const credit = () => creditDeposit(t.deps, { email: user.email, asset: 'btc', amount: '0.25', txid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16' });
    expect((await credit()).credited).toBe(true);
    expect((await credit()).credited).toBe(false);
    // The same transaction's other output pays someone else; a different amount for the same output is refused.
    const other = await funded(t);
    const txid = 'F4184FC596403B9D638783CF57ADFE4C75C605F6356FBC91338530E9831E9E16';
    expect((await creditDeposit(t.deps, { email: other.email, asset: 'BTC', amount: '1', txid, output: 1 })).credited).toBe(true);
    await expect(creditDeposit(t.deps, { email: other.email, asset: 'BTC', amount: '2', txid, output: 1 })).rejects.toMatchObject({ status: 409, code: 'deposit_mismatch' });
    await expect(creditDeposit(t.deps, { email: user.email, asset: 'BTC', amount: '1', txid: 'not-a-txid' })).rejects.toMatchObject({ code: 'invalid_request' });
    // An EVM transaction id with and without 0x, in any case, is one transaction.
    expect((await creditDeposit(t.deps, { email: user.email, asset: 'ETH', amount: '1', txid: `0x${'ab'.repeat(32)}` })).credited).toBe(true);
    expect((await creditDeposit(t.deps, { email: user.email, asset: 'ETH', amount: '1', txid: 'AB'.repeat(32) })).credited).toBe(false);
    expect((await lastMail(t, user.email, 'Bastion: 0.25 BTC arrived in your account')).text).toContain('f4184fc596403b9d');
    expect(await auditOf(t, 'custody.deposit_credited')).toHaveLength(3);
    await expect(creditDeposit(t.deps, { email: user.email, asset: 'DOGE', amount: '1', txid: 'abcdef0123' })).rejects.toMatchObject({ code: 'unknown_asset' });
    await expect(creditDeposit(t.deps, { email: user.email, asset: 'BTC', amount: '0.000000001', txid: 'abcdef0123' })).rejects.toMatchObject({ code: 'invalid_amount' });

    await prices(t, { BTC: '97000.12' });
    const balances = (await user.client.get('/api/balances')).body;
    expect(balances.assets.find((a: { symbol: string }) => a.symbol === 'BTC')).toMatchObject({ available: '0.25', held: '0', usdPrice: '97000.12', usdValue: '24250.03', withdrawalFee: '0.0002', minWithdrawal: '0.001' });
    expect(balances.assets.find((a: { symbol: string }) => a.symbol === 'ETH')).toMatchObject({ available: '1', usdPrice: null, usdValue: null });
    expect(balances.totalUsd).toBe('24250.03');
    expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true });
  });

  it('trades at a quote once within 15 seconds; refuses an expired, reused, unknown, non-positive or unaffordable one', async () => {
    const t = await app();
    const user = await funded(t, { USDC: '1000' });
    await prices(t, { USDC: '1', ETH: '2500' });
    const quote = await user.client.post('/api/quotes', { from: 'USDC', to: 'ETH', amount: '500' });
    expect(quote.status, JSON.stringify(quote.body)).toBe(200);
    // 0.5% of 500 USDC is 2.5 USDC; 497.5 USDC at 2500 buys 0.199 ETH.
    expect(quote.body).toMatchObject({ amount: '500', fee: '2.5', receive: '0.199', rate: '0.0004', feeBps: 50 });
    const filled = await user.client.post(`/api/quotes/${quote.body.id}/accept`);
    expect(filled.status, JSON.stringify(filled.body)).toBe(200);
    expect(filled.body.status).toBe('filled');
    expect((await user.client.post(`/api/quotes/${quote.body.id}/accept`)).body.error).toBe('quote_used');
    const balances = (await user.client.get('/api/balances')).body.assets;
    expect(balances.filter((a: { symbol: string }) => ['USDC', 'ETH'].includes(a.symbol)).map((a: { available: string }) => a.available)).toEqual(['0.199', '500']);

    const late = await user.client.post('/api/quotes', { from: 'USDC', to: 'ETH', amount: '100' });
    t.clock.advance(15_000);
    expect(await user.client.post(`/api/quotes/${late.body.id}/accept`)).toMatchObject({ status: 400, body: { error: 'quote_expired' } });
    const tooMuch = await user.client.post('/api/quotes', { from: 'USDC', to: 'ETH', amount: '600' });
    expect(await user.client.post(`/api/quotes/${tooMuch.body.id}/accept`)).toMatchObject({ status: 409, body: { error: 'insufficient_funds' } });
    expect((await user.client.post('/api/quotes', { from: 'USDC', to: 'DOGE', amount: '1' })).body.error).toBe('unknown_asset');
    for (const amount of ['0', '-5', '1e3', 'abc', '0.0000001']) expect((await user.client.post('/api/quotes', { from: 'USDC', to: 'ETH', amount })).body.error, amount).toBe('invalid_amount');
    expect((await user.client.post('/api/quotes', { from: 'USDC', to: 'BTC', amount: '10' })).body.error).toBe('price_unavailable');
    // A price older than PRICE_MAX_AGE is not used.
    await t.deps.store.db.updateTable('prices').set({ updated_at: t.clock.now() - t.config.custody.priceMaxAgeMs }).where('asset', '=', 'ETH').execute();
    expect((await user.client.post('/api/quotes', { from: 'USDC', to: 'ETH', amount: '10' })).body.error).toBe('price_unavailable');
    // Another user's quote is not one's own.
    const other = await funded(t);
    expect((await other.client.post(`/api/quotes/${tooMuch.body.id}/accept`)).status).toBe(404);
    expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true });
  });

  it('replays the first answer for the same Idempotency-Key and refuses it for another request', async () => {
    const t = await app();
    const user = await funded(t, { USDC: '100' });
    await prices(t, { USDC: '1', ETH: '2500' });
    const quote = (await user.client.post('/api/quotes', { from: 'USDC', to: 'ETH', amount: '50' })).body;
    const key = { 'idempotency-key': 'c0ffee00-1111-4222-8333-444455556666' };
    const first = await user.client.post(`/api/quotes/${quote.id}/accept`, {}, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const again = await user.client.post(`/api/quotes/${quote.id}/accept`, {}, key);
    expect(again.status).toBe(200);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // Traded once.
    expect((await user.client.get('/api/balances')).body.assets.find((a: { symbol: string }) => a.symbol === 'USDC').available).toBe('50');
    const other = (await user.client.post('/api/quotes', { from: 'USDC', to: 'ETH', amount: '10' })).body;
    expect(await user.client.post(`/api/quotes/${other.id}/accept`, {}, key)).toMatchObject({ status: 422, body: { error: 'idempotency_key_reused' } });
    // A refusal is kept too: the retry gets the same answer, not a second try.
    const big = (await user.client.post('/api/quotes', { from: 'USDC', to: 'ETH', amount: '90' })).body;
    const refusal = await user.client.post(`/api/quotes/${big.id}/accept`, {}, { 'idempotency-key': 'k-2' });
    expect(refusal).toMatchObject({ status: 409, body: { error: 'insufficient_funds' } });
    const replayed = await user.client.post(`/api/quotes/${big.id}/accept`, {}, { 'idempotency-key': 'k-2' });
    expect(replayed).toMatchObject({ status: 409, body: { error: 'insufficient_funds' }, headers: { 'idempotency-replayed': 'true' } });
    // Keys are per user: another user's identical key is theirs alone.
    const stranger = await funded(t);
    expect((await stranger.client.post(`/api/quotes/${quote.id}/accept`, {}, key)).status).toBe(404);
    expect((await user.client.post(`/api/quotes/${quote.id}/accept`, {}, { 'idempotency-key': 'bad key with spaces' })).body.error).toBe('invalid_request');
  });

  it('lists deposits and trades newest first, by asset, a page at a time', async () => {
    const t = await app();
    const user = await funded(t, { USDC: '100', BTC: '0.01' });
    await prices(t, { USDC: '1', CRO: '0.1' });
    for (let i = 0; i < 27; i++) {
      t.clock.advance(1000);
      const quote = await user.client.post('/api/quotes', { from: 'USDC', to: 'CRO', amount: '1' });
      expect((await user.client.post(`/api/quotes/${quote.body.id}/accept`)).status).toBe(200);
    }
    const page = await user.client.get('/api/history');
    expect(page.body.entries).toHaveLength(25);
    expect(page.body.entries[0]).toMatchObject({ kind: 'trade', title: 'Bought CRO with USDC', movements: expect.arrayContaining([{ asset: 'USDC', amount: '-1' }, { asset: 'CRO', amount: '9.95' }]) });
    const rest = await user.client.get(`/api/history?cursor=${page.body.nextCursor}`);
    expect(rest.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['trade', 'trade', 'deposit', 'deposit']);
    expect(rest.body.nextCursor).toBeNull();
    const btc = await user.client.get('/api/history?asset=btc');
    expect(btc.body.entries).toEqual([expect.objectContaining({ kind: 'deposit', title: 'Deposit', movements: [{ asset: 'BTC', amount: '0.01' }], txid: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect((await user.client.get('/api/history?cursor=bogus')).body.error).toBe('invalid_cursor');
    expect((await t.client().get('/api/history')).status).toBe(401);
  });
});
