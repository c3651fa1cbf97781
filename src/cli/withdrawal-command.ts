/**
 * The operator's side of withdrawals (Bastion touches no blockchain): `bastion withdrawal list`
 * shows what is queued; `take [--id …]` takes them to be sent (no longer cancellable; an account
 * that may not withdraw now is left queued, with the reason); `broadcast --id … --txid …` records that
 * one went out, `complete --id …` that the network confirmed it (the held funds leave), `fail --id …
 * [--reason …]` that it could not be sent (the funds return; after a broadcast only with --dropped).
 * Each step is recorded; the owner is emailed when it goes out, completes or fails.
 */
import { Command } from 'commander';
import { WITHDRAWAL_STATUSES } from '../contracts/withdrawals.ts';
import type { Deps } from '../deps.ts';
import type { WithdrawalsTable } from '../store/schema.ts';
import { run, type WithDeps } from './run.ts';

// The rules are loaded when a command runs, so `bastion --help` loads none of them.
const operator = () => import('../flows/custody/withdrawal-operator.ts');
const amountOf = async (deps: Deps, row: Pick<WithdrawalsTable, 'asset' | 'amount'>) => (await import('../account/open-withdrawals.ts')).amountText(deps, row.asset, row.amount);

export function withdrawalCommand(withDeps: WithDeps, out: (s: string) => void): Command {
  const withdrawal = new Command('withdrawal').description('withdrawals: send the queued ones, record the outcome');
  const said = (row: WithdrawalsTable, amount: string) => `withdrawal ${row.id} (${amount} ${row.asset} to ${row.address}) is ${row.status}`;
  withdrawal
    .command('list')
    .description('withdrawals by status (default: queued, the ones to send), oldest first')
    .option('--status <status>', WITHDRAWAL_STATUSES.join(' | '), 'queued')
    .action((o: { status: string }) =>
      run(withDeps, out, async (deps) => {
        const status = WITHDRAWAL_STATUSES.find((s) => s === o.status);
        if (!status) {
          out(`--status must be one of ${WITHDRAWAL_STATUSES.join(', ')}\n`);
          return 1;
        }
        const rows = await deps.store.db.selectFrom('withdrawals').selectAll().where('status', '=', status).orderBy('created_at').limit(1000).execute();
        const { amountText } = await import('../account/open-withdrawals.ts');
        out(rows.length ? rows.map((r) => `${r.id}\t${amountText(deps, r.asset, r.amount)} ${r.asset}\t${r.network}\t${r.address}\t${new Date(r.created_at).toISOString()}${r.txid ? `\t${r.txid}` : ''}\n`).join('') : `no ${status} withdrawals\n`);
        return 0;
      }),
    );
  withdrawal
    .command('take')
    .description('take queued withdrawals to be sent (from then on they cannot be cancelled); send only what this prints as taken')
    .option('--id <id>', 'one withdrawal (default: every queued one)')
    .action((o: { id?: string }) =>
      run(withDeps, out, async (deps) => {
        const { taken, held } = await (await operator()).takeWithdrawals(deps, o.id);
        for (const row of taken) out(`taken\t${row.id}\t${await amountOf(deps, row)} ${row.asset}\t${row.network}\t${row.address}\n`);
        for (const { row, reason } of held) out(`held\t${row.id}\t${reason}\n`);
        if (taken.length === 0 && held.length === 0) out('no queued withdrawals\n');
        return 0;
      }),
    );
  withdrawal
    .command('broadcast')
    .description('record that a taken withdrawal was sent on its network')
    .requiredOption('--id <id>', 'the withdrawal')
    .requiredOption('--txid <id>', 'the network transaction id')
    .action((o: { id: string; txid: string }) =>
      run(withDeps, out, async (deps) => {
        const row = await (await operator()).broadcastWithdrawal(deps, o.id, o.txid);
        out(`${said(row, await amountOf(deps, row))}: txid ${row.txid}\n`);
        return 0;
      }),
    );
  withdrawal
    .command('complete')
    .description('record that the network confirmed a broadcast withdrawal (its held funds leave)')
    .requiredOption('--id <id>', 'the withdrawal')
    .action((o: { id: string }) =>
      run(withDeps, out, async (deps) => {
        const row = await (await operator()).completeWithdrawal(deps, o.id);
        out(`${said(row, await amountOf(deps, row))}\n`);
        return 0;
      }),
    );
  withdrawal
    .command('fail')
    .description('record that a withdrawal could not be sent (its funds return)')
    .requiredOption('--id <id>', 'the withdrawal')
    .option('--reason <text>', 'what the owner is told', 'it could not be sent on the network')
    .option('--dropped', 'it was broadcast, and the network dropped that transaction')
    .action((o: { id: string; reason: string; dropped?: boolean }) =>
      run(withDeps, out, async (deps) => {
        const reason = o.reason.trim().slice(0, 200) || 'it could not be sent on the network';
        const row = await (await operator()).failWithdrawal(deps, o.id, reason, { dropped: o.dropped === true });
        out(`${said(row, await amountOf(deps, row))}: the funds are back in the available balance\n`);
        return 0;
      }),
    );
  return withdrawal;
}
