/** The operator's custody commands as a shell runs them: prices, a deposit credited once, and the ledger check's exit codes. */
import { describe, expect, it } from 'vitest';
import { bastion, cliInstallation } from '../../test/cli.ts';

describe('bastion prices, deposit and ledger', () => {
  it('sets a price, credits a deposit once per txid, and checks the ledger (exit 1 naming a broken balance)', async () => {
    const { env, store } = await cliInstallation('ada@example.com');

    const price = await bastion(['prices', 'set', 'BTC', '97000.12'], env);
    expect(price.code, price.stderr).toBe(0);
    expect(price.stdout).toBe('BTC = 97000.12 USD\n');
    expect((await bastion(['prices', 'set', 'BTC', '-1'], env)).code).toBe(1);
    expect((await bastion(['prices', 'set', 'DOGE', '1'], env)).stdout).toMatch(/not an asset/);
    expect((await bastion(['prices', 'list'], env)).stdout).toMatch(/^BTC\t97000.12\t/);

    const args = ['deposit', 'credit', '--email', 'ada@example.com', '--asset', 'BTC', '--amount', '0.5', '--txid', 'a1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d'];
    const first = await bastion(args, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^credited 0.5 BTC to ada@example.com/);
    const again = await bastion(args, env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^already credited .*: nothing changed/);
    const refused = await bastion(['deposit', 'credit', '--email', 'nobody@example.com', '--asset', 'BTC', '--amount', '1', '--txid', 'deadbeef00'], env);
    expect(refused).toMatchObject({ code: 1, stdout: 'No account has the address nobody@example.com.\n' });
    expect(await store.db.selectFrom('outbox').select('template').execute()).toEqual([{ template: 'deposit_credited' }]);

    const ok = await bastion(['ledger', 'check'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ledger check passed: 1 entries/);
    await store.db.updateTable('ledger_accounts').set({ balance: '60000000' }).where('id', '=', 'u-1:BTC:available').execute();
    await store.close();
    const broken = await bastion(['ledger', 'check'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('ledger check FAILED: account u-1:BTC:available: balance 60000000 but its postings sum to 50000000\n');
  }, 120_000);
});
