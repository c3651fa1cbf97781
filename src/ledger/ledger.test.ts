/**
 * The ledger's guarantees on both dialects: entries balance per asset, a user balance never goes
 * below zero even when 20 requests race for it, a hold is posted or voided exactly once, a
 * reference is recorded once, and `checkLedger` names the first broken invariant.
 */
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../test/accounts.ts';
import { dialects, testApps, type TestApp } from '../../test/harness.ts';
import { userRow } from '../../test/queries.ts';
import { AppError } from '../errors/app-error.ts';
import { inTransaction } from '../store/database.ts';
import { formatDecimal, parseDecimal } from './amounts.ts';
import { checkLedger } from './check.ts';
import { holdFunds, postHold, voidHold } from './holds.ts';
import { available, balancesOf, platform, post } from './ledger.ts';

const deposit = (t: TestApp, userId: string, asset: string, amount: bigint, reference: string) =>
  inTransaction(t.deps.store.db, (tx) =>
    post(tx, t.clock.now(), { kind: 'deposit', userId, reference, legs: [{ account: platform('world', asset), amount: -amount }, { account: available(userId, asset), amount }] }),
  );

async function user(t: TestApp): Promise<string> {
  return (await userRow(t, (await enrolledUser(t)).email)).id;
}

describe('amounts', () => {
  it('parse and format decimals in smallest units, never through a float', () => {
    expect(parseDecimal('0.015', 8)).toBe(1_500_000n);
    expect(parseDecimal('1234567890.123456789012345678', 18)).toBe(1_234_567_890_123_456_789_012_345_678n);
    expect(parseDecimal('1.123', 2)).toBeNull();
    for (const bad of ['', '-1', '1e3', '0x10', '1.', '.5', ' ', 'NaN']) expect(parseDecimal(bad, 8), bad).toBeNull();
    expect(formatDecimal(1_500_000n, 8)).toBe('0.015');
    expect(formatDecimal(0n, 18)).toBe('0');
    expect(formatDecimal(-25n, 2)).toBe('-0.25');
    expect(formatDecimal(10n ** 24n, 18)).toBe('1000000');
  });
});

describe.each(dialects)('the ledger on %s', (dialect) => {
  const app = testApps(dialect);

  it('writes balanced entries only, and refuses a user balance below zero without writing anything', async () => {
    const t = await app();
    const id = await user(t);
    await deposit(t, id, 'BTC', 100_000n, 'tx-1');
    await expect(
      inTransaction(t.deps.store.db, (tx) => post(tx, t.clock.now(), { kind: 'reversal', userId: id, reference: 'bad', legs: [{ account: available(id, 'BTC'), amount: 5n }] })),
    ).rejects.toThrow(/sum to 5/);
    const overdraw = inTransaction(t.deps.store.db, (tx) =>
      post(tx, t.clock.now(), { kind: 'trade', userId: id, reference: 'q-1', legs: [{ account: available(id, 'BTC'), amount: -100_001n }, { account: platform('market', 'BTC'), amount: 100_001n }] }),
    );
    await expect(overdraw).rejects.toMatchObject({ status: 409, code: 'insufficient_funds' });
    expect((await balancesOf(t.deps.store.db, id)).get('BTC')).toEqual({ available: 100_000n, held: 0n });
    // The same reference is recorded once: a second deposit of tx-1 moves nothing.
    expect((await deposit(t, id, 'BTC', 100_000n, 'tx-1')).existed).toBe(true);
    expect((await balancesOf(t.deps.store.db, id)).get('BTC')!.available).toBe(100_000n);
    expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true, entries: 1 });
  });

  it('lets 20 parallel holds of a balance that covers 10 succeed exactly 10 times', async () => {
    const t = await app();
    const id = await user(t);
    await deposit(t, id, 'ETH', 10n * 10n ** 18n, 'tx-eth');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => inTransaction(t.deps.store.db, (tx) => holdFunds(tx, t.clock.now(), { userId: id, asset: 'ETH', amount: 10n ** 18n, reference: `w-${i}` }))),
    );
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(refused.every((e) => e instanceof AppError && e.code === 'insufficient_funds')).toBe(true);
    expect((await balancesOf(t.deps.store.db, id)).get('ETH')).toEqual({ available: 0n, held: 10n * 10n ** 18n });
    expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true, holds: 10 });
  });

  it('posts or voids a hold exactly once', async () => {
    const t = await app();
    const id = await user(t);
    await deposit(t, id, 'USDC', 1_000_000_000n, 'tx-usdc');
    const [sent, kept] = await Promise.all(
      ['a', 'b'].map((r) => inTransaction(t.deps.store.db, (tx) => holdFunds(tx, t.clock.now(), { userId: id, asset: 'USDC', amount: 300_000_000n, reference: r }))),
    );
    const both = await Promise.allSettled([
      inTransaction(t.deps.store.db, (tx) => postHold(tx, t.clock.now(), sent!, 5_000_000n)),
      inTransaction(t.deps.store.db, (tx) => voidHold(tx, t.clock.now(), sent!)),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'hold_resolved' });
    await inTransaction(t.deps.store.db, (tx) => voidHold(tx, t.clock.now(), kept!));
    const balance = (await balancesOf(t.deps.store.db, id)).get('USDC')!;
    expect(balance.held).toBe(0n);
    expect([700_000_000n, 1_000_000_000n]).toContain(balance.available);
    expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true, holds: 2 });
  });

  it('names the first broken invariant: a balance off its postings, an unbalanced entry, a hold resolved twice', async () => {
    const t = await app();
    const id = await user(t);
    await deposit(t, id, 'BTC', 5_000n, 'tx-a');
    const db = t.deps.store.db;
    await db.updateTable('ledger_accounts').set({ balance: '5001' }).where('id', '=', `${id}:BTC:available`).execute();
    expect(await checkLedger(db, t.deps.store.dialect)).toEqual({ ok: false, violation: `account ${id}:BTC:available: balance 5001 but its postings sum to 5000` });
    await db.updateTable('ledger_accounts').set({ balance: '5000' }).where('id', '=', `${id}:BTC:available`).execute();
    const posting = await db.selectFrom('postings').selectAll().where('account_id', '=', `${id}:BTC:available`).executeTakeFirstOrThrow();
    await db.updateTable('postings').set({ amount: '4999' }).where('id', '=', posting.id).execute();
    expect(await checkLedger(db, t.deps.store.dialect)).toMatchObject({ ok: false, violation: expect.stringMatching(/BTC postings sum to -1, not zero/) });
    await db.updateTable('postings').set({ amount: '5000' }).where('id', '=', posting.id).execute();
    // A posting of one asset booked to an account of another, with the balances made to match.
    await db.updateTable('postings').set({ asset: 'ETH' }).where('id', '=', posting.id).execute();
    expect((await checkLedger(db, t.deps.store.dialect)).ok).toBe(false);
    await db.updateTable('postings').set({ asset: 'BTC' }).where('id', '=', posting.id).execute();
    const hold = await inTransaction(db, (tx) => holdFunds(tx, t.clock.now(), { userId: id, asset: 'BTC', amount: 1_000n, reference: 'w' }));
    // The same reference again holds nothing more.
    expect(await inTransaction(db, (tx) => holdFunds(tx, t.clock.now(), { userId: id, asset: 'BTC', amount: 1_000n, reference: 'w' }))).toBe(hold);
    expect((await balancesOf(db, id)).get('BTC')).toEqual({ available: 4_000n, held: 1_000n });
    await db.updateTable('ledger_holds').set({ status: 'voided' }).where('id', '=', hold).execute();
    expect(await checkLedger(db, t.deps.store.dialect)).toMatchObject({ ok: false, violation: `hold ${hold}: voided without one withdrawal_void entry` });
  });
});
