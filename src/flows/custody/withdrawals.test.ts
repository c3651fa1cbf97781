/**
 * A withdrawal from request to completion: the amount and its fee held at once, a fresh strong
 * step-up (an emailed code is not one), the emailed link (30 minutes, once), the operator's
 * broadcast and completion; cancelling, an expired link and a failure each return the funds once;
 * the destination rules; Idempotency-Key replay and reuse, also after an answer was lost. The
 * ledger checks out after each.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, signIn, signInWithEmailCode } from '../../../test/accounts.ts';
import { BTC_ADDRESS, btcBalance, pendingHolds, randomTxid, setPrices, withdraw, withdrawalToken, withdrawer } from '../../../test/custody.ts';
import { dialects, testApps, type TestApp } from '../../../test/harness.ts';
import { lastMail } from '../../../test/mail.ts';
import { auditOf, db } from '../../../test/queries.ts';
import { MINUTE } from '../../../test/time.ts';
import { checkLedger } from '../../ledger/check.ts';
import { expireDueWithdrawals } from './withdrawal-expiry.ts';
import { broadcastWithdrawal, completeWithdrawal, failWithdrawal, takeWithdrawals } from './withdrawal-operator.ts';

const ledgerOk = async (t: TestApp) => expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true });

describe.each(dialects)('withdrawals on %s', (dialect) => {
  const app = testApps(dialect);

  it('holds the amount and fee at the request, queues it from the emailed link, and sends it once the operator broadcasts and completes it', async () => {
    const t = await app();
    const user = await withdrawer(t, { BTC: '0.1' });
    const asked = await withdraw(user.client, { amount: '0.05', address: BTC_ADDRESS });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ asset: 'BTC', address: BTC_ADDRESS, amount: '0.05', fee: '0.0002', total: '0.0502', usdValue: '2510.00', status: 'awaiting_confirmation', confirmBy: new Date(t.clock.now() + 30 * MINUTE).toISOString() });
    expect(await btcBalance(user.client)).toEqual(['0.0498', '0.0502']);
    expect(await pendingHolds(t, user.id)).toHaveLength(1);

    const token = await withdrawalToken(t, user.email);
    const mail = (await t.mailTo(user.email)).at(-1)!;
    expect(mail.subject).toBe('Bastion: Confirm your withdrawal of 0.05 BTC');
    expect(mail.text).toContain(BTC_ADDRESS);
    expect(mail.text).toMatch(/lock-account\?token=/);
    const confirmed = await t.client().post('/api/withdrawals/confirm', { token });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ id: asked.body.id, status: 'queued' });
    expect((await t.client().post('/api/withdrawals/confirm', { token })).body.error).toBe('invalid_token');
    expect((await lastMail(t, user.email, 'Bastion: Withdrawal of 0.05 BTC confirmed')).text).toMatch(/lock-account\?token=/);

    // The operator: broadcasting or completing before taking it is refused; once taken, the owner cannot cancel it.
    await expect(completeWithdrawal(t.deps, asked.body.id)).rejects.toMatchObject({ code: 'withdrawal_state' });
    await expect(broadcastWithdrawal(t.deps, asked.body.id, randomTxid())).rejects.toMatchObject({ code: 'withdrawal_state' });
    expect((await takeWithdrawals(t.deps)).taken.map((w) => w.id)).toEqual([asked.body.id]);
    expect((await takeWithdrawals(t.deps)).taken).toEqual([]);
    expect((await user.client.get('/api/withdrawals')).body.withdrawals[0].status).toBe('sending');
    expect((await user.client.delete(`/api/withdrawals/${asked.body.id}`)).body.error).toBe('withdrawal_not_cancellable');
    await expect(broadcastWithdrawal(t.deps, asked.body.id, 'not-a-txid')).rejects.toMatchObject({ code: 'invalid_request' });
    const txid = randomTxid();
    await broadcastWithdrawal(t.deps, asked.body.id, txid.toUpperCase());
    await expect(broadcastWithdrawal(t.deps, asked.body.id, txid)).rejects.toMatchObject({ code: 'withdrawal_state' });
    expect((await lastMail(t, user.email, 'Bastion: Withdrawal of 0.05 BTC sent')).text).toContain(txid);
    await completeWithdrawal(t.deps, asked.body.id);
    await expect(completeWithdrawal(t.deps, asked.body.id)).rejects.toMatchObject({ code: 'withdrawal_state' });
    await lastMail(t, user.email, 'Bastion: Withdrawal of 0.05 BTC completed');

    expect(await btcBalance(user.client)).toEqual(['0.0498', '0']);
    const listed = await user.client.get('/api/withdrawals');
    expect(listed.body.withdrawals).toEqual([expect.objectContaining({ id: asked.body.id, status: 'completed', txid, completedAt: expect.any(String) })]);
    // What counts against the daily limit is the amount and the fee at the price (0.0502 × 50,000).
    expect(listed.body.limit).toEqual({ dailyUsd: '100000.00', usedUsd: '2510.00', remainingUsd: '97490.00' });
    // The fee went to the platform, the rest to the network.
    const fees = await db(t).selectFrom('ledger_accounts').select('balance').where('id', '=', 'platform:BTC:fees').executeTakeFirstOrThrow();
    expect(fees.balance).toBe('20000');
    await ledgerOk(t);
    for (const type of ['withdrawal.requested', 'withdrawal.confirmed', 'withdrawal.sending', 'withdrawal.broadcast', 'withdrawal.completed']) expect(await auditOf(t, type), type).toHaveLength(1);
    expect((await auditOf(t, 'withdrawal.requested'))[0]).toMatchObject({ actor_kind: 'user', user_id: user.id });
    const events = (await user.client.get('/api/me/security-events')).body.events.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(['withdrawal.requested', 'withdrawal.confirmed', 'withdrawal.broadcast', 'withdrawal.completed']));
  });

  it('asks for a fresh strong step-up: a stale one, or a sign-in by emailed code, is not enough', async () => {
    const t = await app();
    const user = await withdrawer(t);
    t.clock.advance(11 * MINUTE);
    const stale = await withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS });
    expect(stale).toMatchObject({ status: 403, body: { error: 'step_up_required' } });
    const byEmail = await signInWithEmailCode(t, user);
    expect((await withdraw(byEmail, { amount: '0.01', address: BTC_ADDRESS })).body.error).toBe('step_up_required');
    expect((await user.client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    expect((await withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS })).status).toBe(201);
    expect(await pendingHolds(t, user.id)).toHaveLength(1);
  });

  it('goes only to a valid address, to a usable address-book entry when whitelist-only is on, above the minimum and within the balance', async () => {
    const t = await app();
    const user = await withdrawer(t, { BTC: '0.1', ETH: '1' });
    const refused = async (body: Record<string, string>) => (await withdraw(user.client, body)).body;
    expect(await refused({ amount: '0.01', address: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3' })).toMatchObject({ error: 'invalid_address', message: expect.stringMatching(/checksum/) });
    expect(await refused({ amount: '0.0009', address: BTC_ADDRESS })).toMatchObject({ error: 'invalid_amount', message: 'amount: the smallest BTC withdrawal is 0.001.' });
    expect(await refused({ amount: '-1', address: BTC_ADDRESS })).toMatchObject({ error: 'invalid_amount' });
    expect(await refused({ amount: '1', address: BTC_ADDRESS })).toMatchObject({ error: 'insufficient_funds' });
    expect(await refused({ network: 'ethereum', amount: '0.01', address: BTC_ADDRESS })).toMatchObject({ error: 'invalid_request' });
    expect(await refused({ amount: '0.01' })).toMatchObject({ error: 'invalid_request' });
    expect(await refused({ amount: '0.01', address: BTC_ADDRESS, addressId: 'x' })).toMatchObject({ error: 'invalid_request' });
    expect(await refused({ amount: '0.01', addressId: 'no-such-entry' })).toMatchObject({ error: 'not_found' });

    // Whitelist-only on: a typed address must be a usable entry; a confirmed one waits out its 24 hours.
    expect((await user.client.put('/api/withdrawal-addresses/whitelist-only', { enabled: true })).status).toBe(200);
    expect(await refused({ amount: '0.01', address: BTC_ADDRESS })).toMatchObject({ error: 'address_not_whitelisted' });
    const entry = (await user.client.post('/api/withdrawal-addresses', { asset: 'BTC', network: 'bitcoin', address: BTC_ADDRESS, label: 'Cold' })).body;
    expect(await refused({ amount: '0.01', addressId: entry.id })).toMatchObject({ error: 'address_not_usable', usableFrom: null });
    const link = /confirm-withdrawal-address\?token=([A-Za-z0-9_-]+)/.exec((await lastMail(t, user.email, 'Bastion: Confirm a new withdrawal address')).text)![1];
    const usableFrom = (await t.client().post('/api/withdrawal-addresses/confirm', { token: link })).body.usableFrom;
    expect(await refused({ amount: '0.01', address: BTC_ADDRESS })).toMatchObject({ error: 'address_not_usable', message: `This address is usable from ${usableFrom}.`, usableFrom });
    const eth = (await user.client.post('/api/withdrawal-addresses', { asset: 'ETH', network: 'ethereum', address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed', label: 'Hot' })).body;
    expect(await refused({ amount: '0.01', addressId: eth.id })).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/for ETH, not BTC/) });

    t.clock.set(Date.parse(usableFrom));
    await setPrices(t); // PRICE_MAX_AGE: the day-old prices are stale now
    const later = await signIn(t, user);
    const sent = await withdraw(later, { amount: '0.01', addressId: entry.id });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ address: BTC_ADDRESS, label: 'Cold' });
    // Typing the entry's address (in another case) finds the entry.
    expect((await withdraw(later, { amount: '0.01', address: BTC_ADDRESS.toUpperCase() })).body).toMatchObject({ label: 'Cold' });
    await ledgerOk(t);
  });

  it('returns the funds once: cancelled by the owner, an unopened link after 30 minutes, an operator’s failure', async () => {
    const t = await app();
    const user = await withdrawer(t, { BTC: '0.1' });
    const ask = async () => (await withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS })).body;

    const first = await ask();
    const cancelled = await user.client.delete(`/api/withdrawals/${first.id}`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', endReason: 'you cancelled it' });
    expect((await user.client.delete(`/api/withdrawals/${first.id}`)).body.error).toBe('withdrawal_not_cancellable');
    expect((await user.client.delete('/api/withdrawals/no-such-one')).status).toBe(404);
    expect((await lastMail(t, user.email, 'Bastion: Withdrawal of 0.01 BTC cancelled')).text).toMatch(/back in your available balance/);
    expect((await t.client().post('/api/withdrawals/confirm', { token: await withdrawalToken(t, user.email) })).body.error).toBe('invalid_token');
    expect(await btcBalance(user.client)).toEqual(['0.1', '0']);

    // Unopened: after 30 minutes the sweep returns the funds and the link is dead.
    t.clock.advance(1000);
    await ask();
    const token = await withdrawalToken(t, user.email);
    t.clock.advance(30 * MINUTE - 1);
    expect(await expireDueWithdrawals(t.deps)).toBe(0);
    t.clock.advance(1);
    expect(await expireDueWithdrawals(t.deps)).toBe(1);
    expect(await expireDueWithdrawals(t.deps)).toBe(0);
    expect((await t.client().post('/api/withdrawals/confirm', { token })).body.error).toBe('invalid_token');
    await lastMail(t, user.email, 'Bastion: Withdrawal of 0.01 BTC expired');

    // Listing expires the account's own due ones without the sweep.
    const later = await signIn(t, user);
    await withdraw(later, { amount: '0.01', address: BTC_ADDRESS });
    t.clock.advance(31 * MINUTE);
    const again = await signIn(t, user);
    const listed = (await again.get('/api/withdrawals')).body.withdrawals;
    expect(listed.map((w: { status: string }) => w.status)).toEqual(['expired', 'expired', 'cancelled']);
    expect(listed[0].endReason).toBe('its email link was not opened within 30 minutes');

    // Queued, taken, broadcast, then the network drops it: the funds return (after a broadcast only when said so).
    const queued = await withdraw(again, { amount: '0.01', address: BTC_ADDRESS });
    await t.client().post('/api/withdrawals/confirm', { token: await withdrawalToken(t, user.email) });
    await takeWithdrawals(t.deps, queued.body.id);
    await broadcastWithdrawal(t.deps, queued.body.id, randomTxid());
    await expect(failWithdrawal(t.deps, queued.body.id, 'the network dropped it')).rejects.toMatchObject({ code: 'withdrawal_state', message: expect.stringMatching(/--dropped/) });
    await failWithdrawal(t.deps, queued.body.id, 'the network dropped it', { dropped: true });
    await expect(failWithdrawal(t.deps, queued.body.id, 'again')).rejects.toMatchObject({ code: 'withdrawal_state' });
    expect((await lastMail(t, user.email, 'Bastion: Withdrawal of 0.01 BTC failed')).text).toMatch(/the network dropped it/);
    expect(await btcBalance(again)).toEqual(['0.1', '0']);
    expect((await auditOf(t, 'withdrawal.failed'))[0]).toMatchObject({ actor_kind: 'system' });
    expect(await auditOf(t, 'withdrawal.expired')).toHaveLength(2);
    expect(await pendingHolds(t, user.id)).toEqual([]);
    await ledgerOk(t);
  });

  it('answers a retry with the same Idempotency-Key with the first answer, refuses the key for another request, and finds the withdrawal even when its answer was lost', async () => {
    const t = await app();
    const user = await withdrawer(t, { BTC: '0.1' });
    const body = { amount: '0.02', address: BTC_ADDRESS };
    const first = await withdraw(user.client, body, 'key-1');
    expect(first.status).toBe(201);
    const replay = await withdraw(user.client, body, 'key-1');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const reused = await withdraw(user.client, { ...body, amount: '0.03' }, 'key-1');
    expect(reused).toMatchObject({ status: 422, body: { error: 'idempotency_key_reused' } });
    expect(await btcBalance(user.client)).toEqual(['0.0798', '0.0202']);

    // The process died after the withdrawal was made but before its answer was kept: the kept claim is gone after ABANDONED_MS.
    await db(t).deleteFrom('idempotency_keys').execute();
    const retried = await withdraw(user.client, body, 'key-1');
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotency-replayed']).toBe('true');
    expect(retried.body.id).toBe(first.body.id);
    await db(t).deleteFrom('idempotency_keys').execute();
    expect((await withdraw(user.client, { ...body, amount: '0.03' }, 'key-1')).body.error).toBe('idempotency_key_reused');
    expect(await pendingHolds(t, user.id)).toHaveLength(1);
    // A day later the key makes nothing, new or old: its withdrawal is not handed out as this request's answer.
    t.clock.advance(24 * 60 * MINUTE);
    await setPrices(t);
    const nextDay = await signIn(t, user);
    await db(t).deleteFrom('idempotency_keys').execute();
    expect((await withdraw(nextDay, body, 'key-1')).body.error).toBe('idempotency_key_reused');
    // Without a key, each request is its own withdrawal.
    await withdraw(nextDay, body);
    await withdraw(nextDay, body);
    // Two new ones; the first, never confirmed, expired meanwhile.
    expect(await pendingHolds(t, user.id)).toHaveLength(2);
    await ledgerOk(t);
  });
});
