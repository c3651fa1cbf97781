/**
 * What stops a withdrawal, with the test clock: every hold of the security-change table (403 with
 * the reason and the time it lifts, allowed again after), a missing identity verification, the
 * daily limit of the identity level; and what stops one already asked for: the owner's or
 * support's lock (its funds return at once), or a change between the request and the link.
 */
import { describe, expect, it } from 'vitest';
import { NEW_PASSWORD, signIn } from '../../../test/accounts.ts';
import { BTC_ADDRESS, btcBalance, pendingHolds, setPrices, withdraw, withdrawalToken, withdrawer } from '../../../test/custody.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { staffMember } from '../../../test/kyc.ts';
import { lastMail } from '../../../test/mail.ts';
import { auditOf } from '../../../test/queries.ts';
import { HOUR, MINUTE } from '../../../test/time.ts';
import { holdWithdrawals } from '../../account/holds.ts';
import { SECURITY_CHANGES, type SecurityChangeKind } from '../../account/security-change.ts';
import { checkLedger } from '../../ledger/check.ts';
import { takeWithdrawals } from './withdrawal-operator.ts';
import { inTransaction } from '../../store/database.ts';

describe.each(dialects)('what stops a withdrawal on %s', (dialect) => {
  const app = testApps(dialect);

  it('refuses while a hold from a password change runs, with the reason and the time it lifts, and allows it after', async () => {
    const t = await app();
    const user = await withdrawer(t);
    const changed = await user.client.post('/api/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const until = new Date(t.clock.now() + 24 * HOUR).toISOString();
    const refused = await withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: 'withdrawals_locked', reason: 'security_hold', until, message: `Withdrawals unlock at ${until} because your password was changed.` },
    });
    t.clock.advance(24 * HOUR - 5 * MINUTE);
    await setPrices(t);
    const later = await signIn(t, { ...user, password: NEW_PASSWORD });
    t.clock.set(Date.parse(until) - 1);
    expect((await withdraw(later, { amount: '0.01', address: BTC_ADDRESS })).body.error).toBe('withdrawals_locked');
    t.clock.set(Date.parse(until));
    expect((await withdraw(later, { amount: '0.01', address: BTC_ADDRESS })).status).toBe(201);
  });

  it('holds withdrawals for as long as each kind of security change says, in its own words', async () => {
    const t = await app();
    const user = await withdrawer(t);
    const held = (Object.keys(SECURITY_CHANGES) as SecurityChangeKind[]).filter((kind) => SECURITY_CHANGES[kind].holdMs(t.config) > 0);
    // Password change and reset, factors added or removed, a passkey copy, anti-phishing, email change, 2FA reset, locks.
    expect(held).toEqual(expect.arrayContaining(['password_changed', 'password_reset', 'passkey_removed', 'passkey_disabled', 'anti_phishing_changed', 'email_changed', 'two_factor_reset']));
    for (const kind of held) {
      const ms = SECURITY_CHANGES[kind].holdMs(t.config);
      await setPrices(t);
      const session = await signIn(t, user);
      await inTransaction(t.deps.store.db, (tx) => holdWithdrawals(t.deps, tx, user.id, kind, ms));
      const until = new Date(t.clock.now() + ms).toISOString();
      expect((await withdraw(session, { amount: '0.001', address: BTC_ADDRESS })).body, kind).toMatchObject({
        error: 'withdrawals_locked',
        until,
        message: `Withdrawals unlock at ${until} because ${SECURITY_CHANGES[kind].words}.`,
      });
      t.clock.advance(ms);
    }
    // The 2FA reset's own hold is the longer one (TWO_FA_RESET_WITHDRAWAL_HOLD, 48 hours, as Binance's).
    expect(SECURITY_CHANGES.two_factor_reset.holdMs(t.config)).toBe(48 * HOUR);
    await setPrices(t);
    expect((await withdraw(await signIn(t, user), { amount: '0.001', address: BTC_ADDRESS })).status).toBe(201);
  });

  it('needs a verified identity, and keeps within the daily limit of its level over a rolling 24 hours', async () => {
    const t = await app({ WITHDRAWAL_DAILY_LIMITS: '1:1000,2:50000' });
    const unverified = await withdrawer(t, { BTC: '0.1' }, 0);
    expect((await withdraw(unverified.client, { amount: '0.01', address: BTC_ADDRESS })).body).toMatchObject({ error: 'withdrawals_locked', reason: 'kyc_required' });

    const user = await withdrawer(t, { BTC: '0.1' });
    // BTC at 50,000 USD: 0.0098 and its 0.0002 fee are 500 USD.
    expect((await withdraw(user.client, { amount: '0.0098', address: BTC_ADDRESS })).status).toBe(201);
    const second = await withdraw(user.client, { amount: '0.0098', address: BTC_ADDRESS });
    expect(second.status).toBe(201);
    const over = await withdraw(user.client, { amount: '0.001', address: BTC_ADDRESS });
    expect(over).toMatchObject({ status: 403, body: { error: 'withdrawal_limit_exceeded', remainingUsd: '0.00' } });
    expect(over.body.message).toMatch(/daily withdrawal limit is 1000\.00 USD/);
    // A cancelled one gives its share back.
    await user.client.delete(`/api/withdrawals/${second.body.id}`);
    expect((await user.client.get('/api/withdrawals')).body.limit).toEqual({ dailyUsd: '1000.00', usedUsd: '500.00', remainingUsd: '500.00' });
    expect((await withdraw(user.client, { amount: '0.00981', address: BTC_ADDRESS })).body.error).toBe('withdrawal_limit_exceeded');
    expect((await withdraw(user.client, { amount: '0.0098', address: BTC_ADDRESS })).status).toBe(201);
    t.clock.advance(24 * HOUR);
    await setPrices(t);
    const tomorrow = await signIn(t, user);
    expect((await withdraw(tomorrow, { amount: '0.0098', address: BTC_ADDRESS })).status).toBe(201);
  });

  it('stops every withdrawal not yet sent when the owner or support locks the account, and returns the funds', async () => {
    const t = await app();
    const user = await withdrawer(t, { BTC: '0.1' });
    await withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS });
    const awaitingToken = await withdrawalToken(t, user.email);
    const queued = await withdraw(user.client, { amount: '0.02', address: BTC_ADDRESS });
    await t.client().post('/api/withdrawals/confirm', { token: await withdrawalToken(t, user.email) });
    expect(await btcBalance(user.client)).toEqual(['0.0696', '0.0304']);

    expect((await user.client.post('/api/me/lock')).status).toBe(200);
    expect(await pendingHolds(t, user.id)).toEqual([]);
    expect((await t.client().post('/api/withdrawals/confirm', { token: awaitingToken })).body.error).toBe('invalid_token');
    expect((await lastMail(t, user.email, 'Bastion: Withdrawal of 0.02 BTC cancelled')).text).toMatch(/you locked your account/);
    const stopped = await auditOf(t, 'withdrawal.cancelled');
    expect(stopped.map((e) => JSON.parse(e.data!).withdrawalId)).toContain(queued.body.id);
    expect(stopped[0]).toMatchObject({ actor_kind: 'user' });

    // Support's lock, on another account, stops its queued withdrawal the same way.
    const other = await withdrawer(t, { BTC: '0.1' });
    await withdraw(other.client, { amount: '0.01', address: BTC_ADDRESS });
    expect((await t.client().post('/api/withdrawals/confirm', { token: await withdrawalToken(t, other.email) })).body.status).toBe('queued');
    const support = await staffMember(t, 'support');
    expect((await support.session.post(`/api/staff/users/${other.id}/lock`, { reason: 'Reported stolen phone' })).status).toBe(200);
    expect(await pendingHolds(t, other.id)).toEqual([]);
    expect((await auditOf(t, 'withdrawal.cancelled')).at(-1)).toMatchObject({ actor_kind: 'staff', user_id: other.id });
    expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true });
  });

  it('stops a queued withdrawal when a security change starts a hold, and the operator takes none from an account that may not withdraw', async () => {
    const t = await app();
    const user = await withdrawer(t, { BTC: '0.1' });
    const queue = async (client = user.client) => {
      const asked = await withdraw(client, { amount: '0.01', address: BTC_ADDRESS });
      await t.client().post('/api/withdrawals/confirm', { token: await withdrawalToken(t, user.email) });
      return asked.body.id as string;
    };
    const first = await queue();
    expect((await user.client.post('/api/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD })).status).toBe(200);
    expect((await user.client.get('/api/withdrawals')).body.withdrawals[0]).toMatchObject({ id: first, status: 'cancelled', endReason: 'your password was changed' });
    expect(await pendingHolds(t, user.id)).toEqual([]);

    // A hold recorded without stopping anything (as by an older version): the operator still takes nothing from the account.
    t.clock.advance(24 * HOUR);
    await setPrices(t);
    const later = await signIn(t, { ...user, password: NEW_PASSWORD });
    const second = await queue(later);
    await inTransaction(t.deps.store.db, (tx) => holdWithdrawals(t.deps, tx, user.id, 'email_changed', HOUR));
    const taken = await takeWithdrawals(t.deps);
    expect(taken.taken).toEqual([]);
    expect(taken.held).toEqual([{ row: expect.objectContaining({ id: second }), reason: expect.stringMatching(/because your email address was changed\.$/) }]);
    t.clock.advance(HOUR);
    expect((await takeWithdrawals(t.deps)).taken.map((w) => w.id)).toEqual([second]);
    // Taken: a lock no longer returns its funds (they may be on the network already).
    expect((await (await signIn(t, { ...user, password: NEW_PASSWORD })).post('/api/me/lock')).status).toBe(200);
    expect(await pendingHolds(t, user.id)).toHaveLength(1);
  });

  it('refuses another account’s address-book entry, and a link opened at its deadline before the sweep ran; an expired one counts against no limit', async () => {
    const t = await app({ WITHDRAWAL_DAILY_LIMITS: '1:600' });
    const user = await withdrawer(t, { BTC: '0.1' });
    const stranger = await withdrawer(t, { BTC: '0.1' });
    const entry = (await stranger.client.post('/api/withdrawal-addresses', { asset: 'BTC', network: 'bitcoin', address: BTC_ADDRESS, label: 'Theirs' })).body;
    expect((await withdraw(user.client, { amount: '0.01', addressId: entry.id })).body.error).toBe('not_found');

    // 0.0102 BTC at 50,000 USD is 510 of the 600.
    expect((await withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS })).status).toBe(201);
    const token = await withdrawalToken(t, user.email);
    expect((await withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS })).body.error).toBe('withdrawal_limit_exceeded');
    t.clock.advance(30 * MINUTE);
    expect((await t.client().post('/api/withdrawals/confirm', { token })).body.error).toBe('invalid_token');
    const later = await signIn(t, user);
    expect((await later.get('/api/withdrawals')).body.limit).toEqual({ dailyUsd: '600.00', usedUsd: '0.00', remainingUsd: '600.00' });
    expect((await withdraw(later, { amount: '0.01', address: BTC_ADDRESS })).status).toBe(201);
  });

  it('cancels, not queues, a withdrawal whose account changed between the request and the link', async () => {
    const t = await app();
    const user = await withdrawer(t, { BTC: '0.1' });
    await withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS });
    // A change through the security-change table stops it at once: its link is dead.
    const token = await withdrawalToken(t, user.email);
    expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue_Falcon-7' })).status).toBe(200);
    expect((await t.client().post('/api/withdrawals/confirm', { token })).body.error).toBe('invalid_token');
    expect((await user.client.get('/api/withdrawals')).body.withdrawals[0]).toMatchObject({ status: 'cancelled', endReason: 'your anti-phishing code was changed' });
    // A hold that stopped nothing on its own (recorded directly): the link checks again and cancels.
    t.clock.advance(24 * HOUR);
    await setPrices(t);
    const next = await signIn(t, user);
    await withdraw(next, { amount: '0.01', address: BTC_ADDRESS });
    const second = await withdrawalToken(t, user.email);
    await inTransaction(t.deps.store.db, (tx) => holdWithdrawals(t.deps, tx, user.id, 'password_reset', HOUR));
    const refused = await t.client().post('/api/withdrawals/confirm', { token: second });
    expect(refused).toMatchObject({ status: 403, body: { error: 'withdrawals_locked', reason: 'security_hold' } });
    expect(await btcBalance(next)).toEqual(['0.1', '0']);
    expect((await next.get('/api/withdrawals')).body.withdrawals[0]).toMatchObject({ status: 'cancelled', endReason: expect.stringMatching(/^it could not be confirmed \(Withdrawals unlock at .* because your password was reset\)$/) });

    // Whitelist-only turned on meanwhile, and the address is not in the book: cancelled too.
    t.clock.advance(HOUR);
    await setPrices(t);
    const later = await signIn(t, user);
    await withdraw(later, { amount: '0.01', address: BTC_ADDRESS });
    const third = await withdrawalToken(t, user.email);
    await later.put('/api/withdrawal-addresses/whitelist-only', { enabled: true });
    expect((await t.client().post('/api/withdrawals/confirm', { token: third })).body.error).toBe('address_not_whitelisted');
    expect(await pendingHolds(t, user.id)).toEqual([]);
  });
});

