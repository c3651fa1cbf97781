/**
 * `bastion seed --users N --activity M`: fills the database (after migrating it) with N realistic
 * accounts and M login-activity rows spread over them, for benchmarks (issue #15). Prints how to sign
 * in as any of them: the address pattern, the one password, the one TOTP secret, each account's
 * known-device cookie. Never in production: every account it makes has that printed password.
 */
import { Command, InvalidArgumentError } from 'commander';
import { run, type WithDeps } from './run.ts';
import type { WalletCommandIo } from './wallet-command.ts';

const REFUSAL = 'bastion seed does not run with NODE_ENV=production: every account it makes signs in with one printed password.\n';

function nonNegativeInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number, 0 or more (digits only).`);
    return n;
  };
}

export function seedCommand(withDeps: WithDeps, io: Pick<WalletCommandIo, 'stdout' | 'stderr' | 'env'>, tty = process.stderr.isTTY === true): Command {
  return new Command('seed')
    .description('fill the database with many realistic accounts and their login activity, for benchmarks (never in production)')
    .requiredOption('--users <n>', 'how many accounts to add', nonNegativeInteger('--users'))
    .option('--activity <n>', 'how many login-activity rows to spread over them', nonNegativeInteger('--activity'), 0)
    .action(async function (this: Command, options: { users: number; activity: number }) {
      if (io.env.NODE_ENV === 'production') {
        io.stderr(REFUSAL);
        process.exitCode = 1;
        return;
      }
      if (options.activity > 0 && options.users === 0) this.error('error: --activity needs accounts to spread over: give --users too');
      await run(withDeps, io.stderr, async (deps) => {
        // NODE_ENV may also come from .env.
        if (deps.config.env === 'production') {
          io.stderr(REFUSAL);
          return 1;
        }
        // The work is loaded when the command runs, so `bastion --help` loads none of it.
        const [{ seed, SeedRefused }, { progressBar }, { describeSeed }] = await Promise.all([import('./seed/seed.ts'), import('./seed/progress.ts'), import('./seed/summary.ts')]);
        const started = performance.now();
        const summary = await seed(deps, options, (total) => progressBar(io.stderr, tty, total)).catch((error: unknown) => {
          if (error instanceof SeedRefused) return error;
          throw error;
        });
        if (summary instanceof SeedRefused) {
          io.stderr(`${summary.message}\n`);
          return 1;
        }
        io.stdout(describeSeed(summary, deps.store.description, (performance.now() - started) / 1000));
        return 0;
      });
    });
}
