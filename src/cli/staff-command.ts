/**
 * `bastion staff grant --email … --role support|admin`, `staff revoke --email …`, `staff list`:
 * who may use the staff console. Each change is the same security change as from the console (the
 * owner is emailed through the outbox, the audit event's actor is the system: the operator's shell).
 * Also `bastion kyc sweep`: erase identity documents past their retention now (the server does it
 * every ten minutes).
 */
import { Command, Option } from 'commander';
import { STAFF_ROLES, type StaffRole } from '../contracts/staff.ts';
import type { Deps } from '../deps.ts';
import type { WithDeps } from './run.ts';

// The rules are loaded when a command runs, so `bastion --help` loads none of them.
async function changeRole(deps: Deps, email: string, role: StaffRole | null, reason: string, out: (s: string) => void): Promise<number> {
  const [{ findUserByEmail }, { setStaffRole }, { SYSTEM }] = await Promise.all([
    import('../account/users.ts'),
    import('../flows/staff/account-actions.ts'),
    import('../audit/audit.ts'),
  ]);
  const user = await findUserByEmail(deps.store.db, email);
  if (!user) {
    out(`no account has the email ${email}\n`);
    return 1;
  }
  await setStaffRole(deps, user, role, { actor: SYSTEM, reason, client: null });
  out(role ? `${user.email} is now ${role} staff\n` : `${user.email} is no longer staff\n`);
  return 0;
}

export function staffCommand(withDeps: WithDeps, out: (s: string) => void): Command[] {
  const staff = new Command('staff').description('who may use the staff console');
  staff
    .command('grant')
    .description('give an account a staff role (emails its owner)')
    .requiredOption('--email <email>', 'the account')
    .addOption(new Option('--role <role>', 'support: review and lock; admin: everything').choices(STAFF_ROLES).makeOptionMandatory())
    .option('--reason <text>', 'recorded in the audit event', 'granted from the command line')
    .action(async (o: { email: string; role: StaffRole; reason: string }) => {
      process.exitCode = await withDeps((deps) => changeRole(deps, o.email, o.role, o.reason, out));
    });
  staff
    .command('revoke')
    .description('take an account’s staff role away')
    .requiredOption('--email <email>', 'the account')
    .option('--reason <text>', 'recorded in the audit event', 'revoked from the command line')
    .action(async (o: { email: string; reason: string }) => {
      process.exitCode = await withDeps((deps) => changeRole(deps, o.email, null, o.reason, out));
    });
  staff
    .command('list')
    .description('every staff member and role')
    .action(async () => {
      const { listStaff } = await import('../flows/staff/users.ts');
      const rows = await withDeps(listStaff);
      out(rows.length ? rows.map((r) => `${r.staff_role}\t${r.email}\n`).join('') : 'no staff\n');
    });

  const kyc = new Command('kyc').description('identity verification');
  kyc
    .command('sweep')
    .description('erase identity documents past KYC_RETENTION / KYC_REJECTED_RETENTION now')
    .action(async () => {
      const { sweepKycRetention } = await import('../flows/kyc/erasure.ts');
      const erased = await withDeps((deps) => sweepKycRetention(deps));
      out(`erased the documents of ${erased} case(s)\n`);
    });
  return [staff, kyc];
}
