/** Running the `bastion` command in tests as a user's shell does: a real process, real exit codes. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect } from 'vitest';
import { openStore, type Store } from '../src/store/database.ts';
import { TEST_AUDIT_KEY, TEST_CODE_PEPPER, TEST_DEPOSIT_KEYS, TEST_KEY, TEST_SESSION_SECRET, type TestApp } from './harness.ts';

const run = promisify(execFile);

/** The environment a user's shell would have: without what vitest adds for Vite (BASE_URL, MODE, …). */
function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'TEST_DATABASE_URL']) delete env[name];
  return { ...env, ...extra };
}
const BIN = new URL('../bin/bastion.js', import.meta.url).pathname;

export async function bastion(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: shellEnv(env), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}


/** A migrated SQLite database in a fresh DATA_DIR with one account (id u-1), as the CLI sees it. */
export async function cliInstallation(email: string): Promise<{ env: Record<string, string>; store: Store }> {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-cli-'));
  const env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'silent' };
  expect((await bastion(['migrate'], env)).code).toBe(0);
  const store = openStore(env.DATABASE_URL);
  await store.db
    .insertInto('users')
    .values({ id: 'u-1', email, password_hash: 'x', email_verified_at: 1, password_changed_at: null, kyc_level: 0, kyc_status: 'none', anti_phishing_sealed: null, frozen_at: null, webauthn_user_id: null, staff_role: null, staff_locked_at: null, staff_lock_reason: null, staff_locked_by: null, created_at: 1, updated_at: 1 })
    .execute();
  return { env, store };
}

/** The database URL another process uses for a test database (PostgreSQL: its schema on the search path). */
const urlFor = (url: string, schema: string | undefined) => (schema ? `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}` : url);

/** The settings another process (the CLI, a second node) needs to share a test app's database, keys and secrets. */
export function sharedEnv(t: TestApp, dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: urlFor(t.db.url, t.db.schema),
    SESSION_SECRET: TEST_SESSION_SECRET,
    CODE_PEPPER: TEST_CODE_PEPPER,
    AUDIT_KEY: TEST_AUDIT_KEY,
    ENCRYPTION_KEYS: TEST_KEY,
    LOG_LEVEL: 'silent',
    NEW_DEVICE_CONFIRMATION: 'off',
    DEPOSIT_XPUB_BTC: TEST_DEPOSIT_KEYS.bitcoin,
    DEPOSIT_XPUB_EVM: TEST_DEPOSIT_KEYS.evm,
    ...extra,
  };
}

/** A fresh DATA_DIR for each call, removed after the test (call in a describe block). */
export function dataDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-cli-'));
    made.push(dir);
    return dir;
  };
}
