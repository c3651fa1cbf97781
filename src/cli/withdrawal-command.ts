/**
 * The operator's side of withdrawals (Bastion touches no blockchain): `bastion withdrawal list`
 * shows what is queued to send; `broadcast --id … --txid …` records that it went out, `complete
 * --id …` that the network confirmed it (the held funds leave), `fail --id … [--reason …]` that it
 * could not be sent (the funds return). Each step emails the owner and is recorded.
 */
import { Command } from 'commander';
import { amountText } from '../account/open-withdrawals.ts';
import { WITHDRAWAL_STATUSES } from '../contracts/withdrawals.ts';
import { broadcastWithdrawal, completeWithdrawal, failWithdrawal } from '../flows/custody/withdrawal-operator.ts';
import type { WithdrawalsTable } from '../store/schema.ts';
import { run } from './custody-command.ts';
import type { WithDeps } from './staff-command.ts';

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
        out(rows.length ? rows.map((r) => `${r.id}\t${amountText(deps, r.asset, r.amount)} ${r.asset}\t${r.network}\t${r.address}\t${new Date(r.created_at).toISOString()}${r.txid ? `\t${r.txid}` : ''}\n`).join('') : `no ${status} withdrawals\n`);
        return 0;
      }),
    );
  withdrawal
    .command('broadcast')
    .description('record that a queued withdrawal was sent on its network')
    .requiredOption('--id <id>', 'the withdrawal')
    .requiredOption('--txid <id>', 'the network transaction id')
    .action((o: { id: string; txid: string }) =>
      run(withDeps, out, async (deps) => {
        const row = await broadcastWithdrawal(deps, o.id, o.txid);
        out(`${said(row, amountText(deps, row.asset, row.amount))}: txid ${row.txid}\n`);
        return 0;
      }),
    );
  withdrawal
    .command('complete')
    .description('record that the network confirmed a broadcast withdrawal (its held funds leave)')
    .requiredOption('--id <id>', 'the withdrawal')
    .action((o: { id: string }) =>
      run(withDeps, out, async (deps) => {
        const row = await completeWithdrawal(deps, o.id);
        out(`${said(row, amountText(deps, row.asset, row.amount))}\n`);
        return 0;
      }),
    );
  withdrawal
    .command('fail')
    .description('record that a queued or broadcast withdrawal could not be sent (its funds return)')
    .requiredOption('--id <id>', 'the withdrawal')
    .option('--reason <text>', 'what the owner is told', 'it could not be sent on the network')
    .action((o: { id: string; reason: string }) =>
      run(withDeps, out, async (deps) => {
        const reason = o.reason.trim().slice(0, 200) || 'it could not be sent on the network';
        const row = await failWithdrawal(deps, o.id, reason);
        out(`${said(row, amountText(deps, row.asset, row.amount))}: the funds are back in the available balance\n`);
        return 0;
      }),
    );
  return withdrawal;
}
