/** The operator's withdrawal commands as a shell runs them, against a node's database: list what is queued, broadcast, complete, fail; wrong steps exit 1. */
import { describe, expect, it } from 'vitest';
import { bastion, dataDirs, sharedEnv } from '../../test/cli.ts';
import { BTC_ADDRESS, btcBalance, randomTxid, withdraw, withdrawalToken, withdrawer } from '../../test/custody.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { lastMail } from '../../test/mail.ts';
import { auditOf } from '../../test/queries.ts';

describe.each(dialects)('bastion withdrawal on %s', (dialect) => {
  const app = testApps(dialect);
  const dataDir = dataDirs();

  it('lists the queued withdrawals, takes them, broadcasts and completes one, fails another; a step out of order exits 1', async () => {
    const t = await app();
    // The CLI keeps real time: its emails are due now, not at the test clock's time.
    t.clock.set(Date.now());
    const user = await withdrawer(t, { BTC: '0.1' });
    const queue = async (amount: string) => {
      const asked = await withdraw(user.client, { amount, address: BTC_ADDRESS });
      await t.client().post('/api/withdrawals/confirm', { token: await withdrawalToken(t, user.email) });
      return asked.body.id as string;
    };
    const first = await queue('0.01');
    const second = await queue('0.02');
    const env = sharedEnv(t, dataDir());

    const listed = await bastion(['withdrawal', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n').map((line) => line.split('\t').slice(0, 4))).toEqual([
      [first, '0.01 BTC', 'bitcoin', BTC_ADDRESS],
      [second, '0.02 BTC', 'bitcoin', BTC_ADDRESS],
    ]);
    expect((await bastion(['withdrawal', 'list', '--status', 'nonsense'], env)).code).toBe(1);

    expect(await bastion(['withdrawal', 'complete', '--id', first], env)).toMatchObject({ code: 1, stdout: `Withdrawal ${first} is queued: only a broadcast withdrawal can be completed.\n` });
    const taken = await bastion(['withdrawal', 'take'], env);
    expect(taken.stdout).toBe(`taken\t${first}\t0.01 BTC\tbitcoin\t${BTC_ADDRESS}\ntaken\t${second}\t0.02 BTC\tbitcoin\t${BTC_ADDRESS}\n`);
    expect((await bastion(['withdrawal', 'take'], env)).stdout).toBe('no queued withdrawals\n');
    const txid = randomTxid();
    const sent = await bastion(['withdrawal', 'broadcast', '--id', first, '--txid', txid], env);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    expect(sent.stdout).toBe(`withdrawal ${first} (0.01 BTC to ${BTC_ADDRESS}) is broadcast: txid ${txid}\n`);
    expect((await bastion(['withdrawal', 'complete', '--id', first], env)).stdout).toBe(`withdrawal ${first} (0.01 BTC to ${BTC_ADDRESS}) is completed\n`);
    expect((await bastion(['withdrawal', 'fail', '--id', second, '--reason', 'the node refused the fee'], env)).stdout).toMatch(/is failed: the funds are back/);
    expect((await bastion(['withdrawal', 'broadcast', '--id', 'no-such-id', '--txid', txid], env))).toMatchObject({ code: 1, stdout: 'No withdrawal no-such-id.\n' });

    expect((await bastion(['withdrawal', 'list', '--status', 'completed'], env)).stdout).toMatch(new RegExp(`^${first}\\t.*\\t${txid}\\n$`));
    expect(await btcBalance(user.client)).toEqual(['0.0898', '0']);
    t.clock.set(Date.now()); // the CLI's emails are due at its own (real) time
    expect((await lastMail(t, user.email, 'Bastion: Withdrawal of 0.02 BTC failed')).text).toMatch(/the node refused the fee/);
    expect((await auditOf(t, 'withdrawal.completed'))[0]).toMatchObject({ actor_kind: 'system', user_id: user.id });
    expect((await bastion(['ledger', 'check'], env)).code).toBe(0);
  }, 120_000);
});
