/**
 * Fills a Bastion database with many realistic accounts and their login activity (issue #15: how
 * the server does with a million users). Every account of one run shares one password (one argon2id
 * hash: a million would take days), one TOTP secret and a derivable device cookie, so a benchmark
 * can sign in as any of them; the run's own prefix in the addresses lets a second run add more.
 *
 * One transaction: a run that fails or is stopped leaves the database as it found it. A run large
 * beside what is there builds the tables' secondary indexes once at the end (deferred-indexes.ts);
 * a small one inserts through them. Rows go in blocks of accounts, each block with its activity, with
 * ascending ids, so every index but login_activity_at grows in order.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { findUserByEmail } from '../../account/users.ts';
import { randomToken } from '../../crypto/tokens.ts';
import type { Deps } from '../../deps.ts';
import { BACKUP_CODE_COUNT } from '../../factors/backup-codes/codes.ts';
import { generateTotpSecret } from '../../factors/totp/otp.ts';
import { inTransaction, type Db, type Tx } from '../../store/database.ts';
import { migrateToLatest } from '../../store/migrate.ts';
import { AccountMaker, SEED_DOMAIN, seedDeviceCookie, seedEmail, type SeedRun } from './accounts.ts';
import { ActivityMaker } from './activity.ts';
import { BulkInsert } from './bulk-insert.ts';
import { withIndexesDeferred } from './deferred-indexes.ts';
import { buildPools } from './pools.ts';
import type { Progress } from './progress.ts';
import { Random } from './random.ts';
import { sqliteForLoading } from './sqlite-loading.ts';

const TABLES = ['users', 'totp_credentials', 'backup_codes', 'known_devices', 'login_activity', 'sessions'] as const;
const BLOCK = 2000;
/** The indexes are dropped and built again when a run adds at least a quarter of the accounts there are. */
const DEFER_FROM = 4;
/** Rows an account brings besides its activity (itself, its authenticator, backup codes, about two devices and a session): the progress bar's weight. */
const ROWS_PER_ACCOUNT = 2 + BACKUP_CODE_COUNT + 2;

export interface SeedOptions {
  users: number;
  activity: number;
}

export interface SeedSummary {
  run: SeedRun;
  counts: { users: number; activity: number; backupCodes: number; devices: number; sessions: number };
  /** How to sign in as account i: its address and its known device's cookie, with `<i>` for the number. */
  patterns: { email: string; deviceCookie: string };
  /** Migrations applied first. */
  migrated: string[];
}

const count = (n: number) => n.toLocaleString('en-US');

interface Makers {
  options: SeedOptions;
  accounts: AccountMaker;
  activity: ActivityMaker;
  counts: SeedSummary['counts'];
  report: () => void;
}

/** Writes the accounts BLOCK at a time, each block with its share of the activity. */
async function writeBlocks(tx: Tx, deps: Deps, { options, accounts, activity, counts, report }: Makers): Promise<void> {
  const bulk = new BulkInsert(tx, deps.store.dialect);
  for (let start = 0; start < options.users; start += BLOCK) {
    const end = Math.min(options.users, start + BLOCK);
    const quota = Math.floor((options.activity * end) / options.users) - Math.floor((options.activity * start) / options.users);
    const made = accounts.make(start + 1, end - start);
    const signIns = activity.make(made.accounts, quota);
    const devices = accounts.deviceRows(made.accounts);
    await bulk.insert('users', made.users);
    await bulk.insert('totp_credentials', made.totp);
    await bulk.insert('backup_codes', made.backupCodes);
    await bulk.insert('known_devices', devices);
    await bulk.insert('login_activity', signIns.activity);
    await bulk.insert('sessions', signIns.sessions);
    counts.users = end;
    counts.activity += signIns.activity.length;
    counts.backupCodes += made.backupCodes.length;
    counts.devices += devices.length;
    counts.sessions += signIns.sessions.length;
    report();
  }
  await bulk.finish();
}

/** A run prefix no account has yet. */
async function newRunPrefix(deps: Deps): Promise<string> {
  for (;;) {
    const run = randomBytes(4).toString('hex');
    if (!(await findUserByEmail(deps.store.db, seedEmail(run, 1)))) return run;
  }
}

/** Seeds the accounts and activity; `progressOf` gets how many units of work there are (rows, about). */
/**
 * A database with accounts other than seed accounts is not a benchmark's: every account added signs
 * in with one printed password, so seeding beside real people's accounts is refused.
 */
export class SeedRefused extends Error {}

async function refuseRealAccounts(db: Db): Promise<void> {
  const other = await db.selectFrom('users').select('id').where('email', 'not like', `%${SEED_DOMAIN}`).limit(1).executeTakeFirst();
  if (other) throw new SeedRefused(`bastion seed fills only a database of seed accounts (…${SEED_DOMAIN}): this one holds other accounts.`);
}

export async function seed(deps: Deps, options: SeedOptions, progressOf: (total: number) => Progress): Promise<SeedSummary> {
  const { store } = deps;
  if (options.activity > 0 && options.users === 0) throw new Error('activity needs accounts to spread over: give --users too');
  const migrated = await migrateToLatest(store);
  await refuseRealAccounts(store.db);
  // Random, printed once: never an argument (ps and shell history would keep it).
  const password = randomToken(18);
  const run: SeedRun = {
    run: await newRunPrefix(deps),
    password,
    passwordHash: await deps.passwords.hash(password),
    totpSecret: generateTotpSecret(),
    deviceToken: randomBytes(16).toString('hex'),
    now: deps.clock.now(),
  };
  const random = new Random();
  const pools = buildPools(deps, random);
  const accounts = new AccountMaker(deps, run, pools, random, options.users);
  const activity = new ActivityMaker(deps, run.now, pools, random, { accounts: options.users, activity: options.activity });
  const counts = { users: 0, activity: 0, backupCodes: 0, devices: 0, sessions: 0 };
  const total = options.users * ROWS_PER_ACCOUNT + options.activity;
  const progress = progressOf(total);
  const report = () =>
    progress.update(counts.users * ROWS_PER_ACCOUNT + counts.activity, `${count(counts.users)}/${count(options.users)} accounts, ${count(counts.activity)}/${count(options.activity)} activity`);

  // Rebuilding the indexes costs what the tables hold: worth it for a load that is large beside them.
  const existing = Number((await store.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const defer = options.users * DEFER_FROM >= existing;
  const restore = store.dialect === 'sqlite' ? await sqliteForLoading(store.db, defer) : async () => undefined;
  const committing = () => progress.phase(total === 0 ? 'nothing to write' : defer ? 'building indexes and committing' : 'committing');
  report();
  try {
    await inTransaction(store.db, async (tx) => {
      const write = () => writeBlocks(tx, deps, { options, accounts, activity, counts, report });
      if (defer) return withIndexesDeferred(tx, store.dialect, TABLES, write, committing);
      await write();
      committing();
    });
  } catch (error) {
    // The load's own failure is what the operator needs to read, not a failure to undo the settings.
    await restore().catch(() => undefined);
    throw error;
  }
  await restore();
  if (store.dialect === 'postgres' && total > 0) {
    // What autovacuum would do soon after a load this size: fresh statistics for the planner.
    progress.phase('analyzing');
    await sql.raw(`analyze ${TABLES.join(', ')}`).execute(store.db);
  }
  progress.end();
  return { run, counts, patterns: { email: seedEmail(run.run, '<i>'), deviceCookie: seedDeviceCookie(run, '<i>') }, migrated };
}
