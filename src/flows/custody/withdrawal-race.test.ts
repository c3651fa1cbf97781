/**
 * Withdrawals at once: 20 parallel requests over HTTP cannot hold more than the balance (the
 * ledger's lock, not a check before it), 20 parallel retries with one Idempotency-Key make one
 * withdrawal, and parallel cancels return the funds once.
 */
import { describe, expect, it } from 'vitest';
import { BTC_ADDRESS, btcBalance, pendingHolds, withdraw, withdrawer } from '../../../test/custody.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { db } from '../../../test/queries.ts';
import { checkLedger } from '../../ledger/check.ts';

const statuses = (answers: { status: number; body: { error?: string } }[]) => answers.map((a) => `${a.status} ${a.body.error ?? ''}`.trim()).sort();

describe.each(dialects)('withdrawals at once on %s', (dialect) => {
  const app = testApps(dialect);

  it('20 parallel withdrawals hold no more than the balance', async () => {
    const t = await app();
    // 0.006 BTC pays for exactly five withdrawals of 0.001 with their 0.0002 fee.
    const user = await withdrawer(t, { BTC: '0.006' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => withdraw(user.client, { amount: '0.001', address: BTC_ADDRESS })));
    expect(statuses(answers)).toEqual([...Array(5).fill('201'), ...Array(15).fill('409 insufficient_funds')].sort());
    expect(await btcBalance(user.client)).toEqual(['0', '0.006']);
    expect(await pendingHolds(t, user.id)).toHaveLength(5);
    expect(await db(t).selectFrom('withdrawals').select('id').where('user_id', '=', user.id).execute()).toHaveLength(5);
    expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true });
  });

  it('20 parallel retries with one Idempotency-Key make one withdrawal, and parallel cancels return its funds once', async () => {
    const t = await app();
    const user = await withdrawer(t, { BTC: '0.1' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => withdraw(user.client, { amount: '0.01', address: BTC_ADDRESS }, 'one-key')));
    expect(answers.every((a) => a.status === 201 || a.body.error === 'idempotency_in_progress'), JSON.stringify(statuses(answers))).toBe(true);
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(await pendingHolds(t, user.id)).toHaveLength(1);

    const [id] = [...ids];
    const cancels = await Promise.all(Array.from({ length: 10 }, () => user.client.delete(`/api/withdrawals/${id}`)));
    expect(statuses(cancels)).toEqual(['200', ...Array(9).fill('409 withdrawal_not_cancellable')].sort());
    expect(await btcBalance(user.client)).toEqual(['0.1', '0']);
    expect(await checkLedger(t.deps.store.db, t.deps.store.dialect)).toMatchObject({ ok: true });
  });
});
