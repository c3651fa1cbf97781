/**
 * The `bastion` command: operations on a Bastion installation (migrate, audit verify, staff roles,
 * the KYC retention sweep) and the
 * DeFi wallet. Reads the same configuration as the server (environment and .env).
 */
import { createRequire } from 'node:module';
import { Command } from 'commander';
import type { Store } from '../store/database.ts';
import type { WithDeps } from './run.ts';
import { staffCommand } from './staff-command.ts';
import { custodyCommands } from './custody-command.ts';
import { withdrawalCommand } from './withdrawal-command.ts';
import { keysCommand } from './keys-command.ts';
import { oidcCommand } from './oidc-command.ts';
import { seedCommand } from './seed-command.ts';
import { walletCommand, type WalletCommandIo } from './wallet-command.ts';

// The package's version (package.json sits two folders up, from src/cli as from build/cli).
const { version: VERSION } = createRequire(import.meta.url)('../../package.json') as { version: string };

export function buildProgram(io: WalletCommandIo): Command {
  const program = new Command('bastion').description('Bastion account-access platform').version(VERSION, '-V, --version', 'print the version').exitOverride();
  program.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  // What a command works with is loaded when it runs (the configuration, the database, the rules),
  // so `bastion --help` and `--version` answer at once.
  const config = async () => (await import('../config.ts')).loadConfig(io.env);
  const withStore = async <T>(work: (store: Store) => Promise<T>): Promise<T> => {
    const [settings, { openStore }] = await Promise.all([config(), import('../store/database.ts')]);
    const store = openStore(settings.databaseUrl);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  // Commands that apply rules (mail through the outbox, audit events) get the server's own services.
  const withDeps: WithDeps = async (work) => {
    const [settings, { openStore }, { createDeps }, { default: pino }] = await Promise.all([config(), import('../store/database.ts'), import('../compose.ts'), import('pino')]);
    const store = openStore(settings.databaseUrl);
    const deps = createDeps({ config: settings, store, log: pino({ level: 'silent' }) });
    try {
      return await work(deps);
    } finally {
      await deps.throttle.close();
      await store.close();
    }
  };

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const { migrateToLatest } = await import('../store/migrate.ts');
      const applied = await withStore((store) => migrateToLatest(store));
      io.stdout(applied.length ? `applied: ${applied.join(', ')}\n` : 'database schema is up to date\n');
    });

  const audit = program.command('audit').description('security event log');
  audit
    .command('verify')
    .description('verify the keyed audit chain; exit code 1 names the first changed or removed event, or a checkpoint the chain no longer reaches')
    .option('--checkpoint <checkpoint...>', 'signed checkpoint(s) from the log (auditCheckpoint field): the chain must reach each')
    .option('--checkpoints-file <path>', 'a file of checkpoints from the log, one a line (- for standard input): give every one logged since the last verify')
    .action(async (options: { checkpoint?: string[]; checkpointsFile?: string }) => {
      const [{ auditKeys }, { auditVerify, readCheckpointsFile }, settings] = await Promise.all([import('../audit/chain-keys.ts'), import('./audit-verify.ts'), config()]);
      const keys = auditKeys(settings.auditKey);
      const fromFile = options.checkpointsFile === undefined ? [] : await readCheckpointsFile(options.checkpointsFile, io.stdin);
      process.exitCode = await withStore((store) => auditVerify(store.db, keys, [...(options.checkpoint ?? []), ...fromFile], (line) => io.stdout(`${line}\n`)));
    });
  audit
    .command('public-key')
    .description('print the key that checks the signed checkpoints (Ed25519), to publish beside the logs')
    .action(async () => {
      const [{ auditKeys }, { auditPublicKey }, settings] = await Promise.all([import('../audit/chain-keys.ts'), import('./audit-verify.ts'), config()]);
      auditPublicKey(auditKeys(settings.auditKey), (line) => io.stdout(`${line}\n`));
    });
  audit
    .command('seal')
    .description('seal the events waiting into the chain now (servers do it every half second) and print the signed checkpoint of its head')
    .action(async () => {
      const checkpoint = await withDeps((deps) => deps.audit.seal());
      io.stdout(checkpoint ? `${checkpoint}\n` : 'nothing was waiting to be sealed\n');
    });

  for (const command of staffCommand(withDeps, io.stdout)) program.addCommand(command);
  for (const command of custodyCommands(withDeps, io.stdout)) program.addCommand(command);
  program.addCommand(withdrawalCommand(withDeps, io.stdout));
  program.addCommand(keysCommand(withDeps, io.stdout));
  program.addCommand(oidcCommand(withDeps, io.stdout));
  program.addCommand(walletCommand(io));
  program.addCommand(seedCommand(withDeps, io));
  return program;
}
