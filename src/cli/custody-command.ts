/**
 * The operator's side of custody (no blockchain is touched by Bastion itself):
 * - `bastion prices set BTC 97000.12`, `prices list`: the USD price table quotes and balances use;
 * - `bastion deposit credit --email … --asset … --amount … --txid …`: credit what arrived on a
 *   network, once per transaction (a second run says so and changes nothing); the user is emailed;
 * - `bastion ledger check`: the ledger's invariants, exit 1 naming the first violation.
 */
import { Command } from 'commander';
import { run, type WithDeps } from './run.ts';

// The rules are loaded when a command runs, so `bastion --help` loads none of them.


export function custodyCommands(withDeps: WithDeps, out: (s: string) => void): Command[] {
  const prices = new Command('prices').description('the USD prices of the assets');
  prices
    .command('set')
    .description('set an asset’s USD price (a decimal with at most 8 places)')
    .argument('<asset>', 'an asset symbol, e.g. BTC')
    .argument('<usd>', 'USD per whole unit, e.g. 97000.12')
    .action((symbol: string, usd: string) =>
      run(withDeps, out, async (deps) => {
        const [{ SYSTEM }, { formatDecimal }, { PRICE_DECIMALS, setPrice }, { inTransaction }] = await Promise.all([
          import('../audit/audit.ts'),
          import('../ledger/amounts.ts'),
          import('../ledger/prices.ts'),
          import('../store/database.ts'),
        ]);
        const asset = deps.config.custody.assets.find((a) => a.symbol === symbol.toUpperCase());
        if (!asset) {
          out(`${symbol} is not an asset of this platform (${deps.config.custody.assets.map((a) => a.symbol).join(', ')})\n`);
          return 1;
        }
        const set = await inTransaction(deps.store.db, async (tx) => {
          const price = await setPrice(tx, { asset: asset.symbol, usd, by: 'cli', now: deps.clock.now() });
          if (price !== null) await deps.audit.record(tx, { type: 'custody.price_set', actor: SYSTEM, subject: null, client: null, data: { asset: asset.symbol, usd: formatDecimal(price, PRICE_DECIMALS) } });
          return price;
        });
        if (set === null) {
          out(`${usd} is not a positive price with at most ${PRICE_DECIMALS} decimal places\n`);
          return 1;
        }
        out(`${asset.symbol} = ${formatDecimal(set, PRICE_DECIMALS)} USD\n`);
        return 0;
      }),
    );
  prices
    .command('list')
    .description('every price and when it was set')
    .action(() =>
      run(withDeps, out, async (deps) => {
        const rows = await deps.store.db.selectFrom('prices').selectAll().orderBy('asset').execute();
        out(rows.length ? rows.map((r) => `${r.asset}\t${r.usd}\t${new Date(r.updated_at).toISOString()}\n`).join('') : 'no prices set\n');
        return 0;
      }),
    );

  const deposit = new Command('deposit').description('deposits that arrived on a network');
  deposit
    .command('credit')
    .description('credit a deposit to an account, once per transaction id')
    .requiredOption('--email <email>', 'the account')
    .requiredOption('--asset <symbol>', 'e.g. BTC')
    .requiredOption('--amount <decimal>', 'in the asset’s units, e.g. 0.25')
    .requiredOption('--txid <id>', 'the network transaction id')
    .option('--output <index>', 'which output of the transaction (a Bitcoin vout, an EVM log index)', '0')
    .action((o: { email: string; asset: string; amount: string; txid: string; output: string }) =>
      run(withDeps, out, async (deps) => {
        if (!/^\d{1,9}$/.test(o.output)) {
          out('--output must be the output’s index, 0 or more\n');
          return 1;
        }
        const { creditDeposit } = await import('../flows/custody/deposits.ts');
        const result = await creditDeposit(deps, { ...o, output: Number(o.output) });
        out(result.credited ? `credited ${o.amount} ${o.asset.toUpperCase()} to ${o.email} (entry ${result.entryId})\n` : `already credited (entry ${result.entryId}): nothing changed\n`);
        return 0;
      }),
    );

  const ledger = new Command('ledger').description('the double-entry ledger');
  ledger
    .command('check')
    .description('prove the ledger’s invariants; exit 1 names the first violation')
    .action(() =>
      run(withDeps, out, async (deps) => {
        const { checkLedger } = await import('../ledger/check.ts');
        const report = await checkLedger(deps.store.db, deps.store.dialect);
        if (!report.ok) {
          out(`ledger check FAILED: ${report.violation}\n`);
          return 1;
        }
        out(`ledger check passed: ${report.entries} entries balance per asset, ${report.accounts} account balances equal their postings, ${report.holds} holds resolved at most once\n`);
        return 0;
      }),
    );
  return [prices, deposit, ledger];
}
