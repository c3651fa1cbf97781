/**
 * The test harness every feature test uses: a fresh app on a fresh database, a clock the test moves
 * by hand, and a real SMTP server in the process that receives mail through the real outbox, worker
 * and SMTP path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import type { FeatureRoutes } from '../src/http/route-context.ts';
import { ManualClock } from '../src/clock.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createDeps, type DepsOptions } from '../src/compose.ts';
import type { Deps } from '../src/deps.ts';
import { loggerOptions } from '../src/http/logging.ts';
import { smtpTransport } from '../src/mail/transport.ts';
import { createMailWorker, type MailWorker } from '../src/mail/worker.ts';
import type { Dialect } from '../src/store/database.ts';
import { TestClient } from './client.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { TestSmtpServer, type ReceivedMail } from './smtp.ts';

export { dialects } from './database.ts';

export const TEST_BASE_URL = 'http://localhost:3000';

/** m/84'/0'/0' and m/44'/60'/0' of the mnemonic "abandon × 11, about" (public keys only). */
export const TEST_DEPOSIT_KEYS = {
  bitcoin: 'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs',
  evm: 'xpub6DCoCpSuQZB2jawqnGMEPS63ePKWkwWPH4TU45Q7LPXWuNd8TMtVxRrgjtEshuqpK3mdhaWHPFsBngh5GFZaM6si3yZdUsT8ddYM3PwnATt',
};
export const TEST_SESSION_SECRET = 'test-session-secret-that-is-long-enough-000';
export const TEST_CODE_PEPPER = 'test-code-pepper-of-its-own-long-enough-0000';
export const TEST_AUDIT_KEY = 'test-audit-chain-key-of-its-own-long-enough-00';
export const TEST_KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

export interface TestAppOptions {
  /** Extra settings, as environment variables. */
  env?: Record<string, string>;
  /** Where log lines go (default: nowhere). */
  logStream?: { write(line: string): void };
  extraRoutes?: FeatureRoutes[];
  /** Replace the password hasher, the IP-location lookup or the user-agent parser. */
  overrides?: DepsOptions['overrides'];
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  config: Config;
  clock: ManualClock;
  db: TestDatabase;
  smtp: TestSmtpServer;
  worker: MailWorker;
  log: Logger;
  /** A new client with its own cookie jar (a separate browser). */
  client(options?: { ip?: string; userAgent?: string; origin?: string }): TestClient;
  /** Delivers the outbox, then returns every mail received for `address`. */
  mailTo(address: string): Promise<ReceivedMail[]>;
  /** Delivers the outbox, then returns the latest mail for `address` (fails when there is none). */
  latestMail(address: string): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function createTestApp(dialect: Dialect, options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase(dialect);
  const smtp = new TestSmtpServer();
  await smtp.start();
  const kycDir = mkdtempSync(join(tmpdir(), 'bastion-kyc-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      BASE_URL: TEST_BASE_URL,
      DATABASE_URL: db.url,
      SESSION_SECRET: TEST_SESSION_SECRET,
      CODE_PEPPER: TEST_CODE_PEPPER,
      AUDIT_KEY: TEST_AUDIT_KEY,
      ENCRYPTION_KEYS: TEST_KEY,
      SMTP_URL: smtp.url,
      LOG_LEVEL: options.logStream ? 'info' : 'silent',
      // Most tests are not about devices: a new client is a new browser, which would otherwise
      // always need an email confirmation. The security-center tests turn it back on.
      NEW_DEVICE_CONFIRMATION: 'off',
      KYC_STORAGE_DIR: kycDir,
      // The platform's deposit keys: the account keys of the BIP39 "abandon … about" test mnemonic.
      DEPOSIT_XPUB_BTC: TEST_DEPOSIT_KEYS.bitcoin,
      DEPOSIT_XPUB_EVM: TEST_DEPOSIT_KEYS.evm,
      ...options.env,
    },
    { loadDotEnv: false },
  );
  const log = options.logStream ? pino(loggerOptions('info'), options.logStream) : pino({ level: 'silent' });
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 9, 0, 0));
  const deps = createDeps({ config, store: db.store, log, clock, ...(options.overrides ? { overrides: options.overrides } : {}) });
  const app = await buildApp(deps, { devInbox: false, extraRoutes: options.extraRoutes ?? [] });
  await app.ready();
  const worker = createMailWorker({ db: db.store.db, clock, keyring: deps.keyring, transport: smtpTransport(smtp.url), from: config.mailFrom, log });

  const mailTo = async (address: string) => {
    // What was left for after an answer (later.ts) first: its emails are in the outbox then.
    await deps.later.idle();
    await worker.drain();
    return smtp.to(address);
  };
  return {
    app,
    deps,
    config,
    clock,
    db,
    smtp,
    worker,
    log,
    client: (o = {}) => new TestClient(app, o.origin ?? new URL(config.baseUrl).origin, o.userAgent, o.ip),
    mailTo,
    async latestMail(address) {
      const all = await mailTo(address);
      const last = all.at(-1);
      if (!last) throw new Error(`no mail was sent to ${address}`);
      return last;
    },
    async close() {
      await deps.later.idle();
      await worker.stop();
      await app.close();
      await deps.throttle.close();
      await smtp.stop();
      await db.drop();
      rmSync(kycDir, { recursive: true, force: true });
    },
  };
}

/**
 * One fresh app per test, closed after it: `const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' })`,
 * then `const t = await app()` (or `app({ NEW_DEVICE_CONFIRMATION: 'always' })`) inside a test.
 */
export function testApps(
  dialect: Dialect,
  baseEnv: Record<string, string> = {},
): (env?: Record<string, string>, options?: Omit<TestAppOptions, 'env'>) => Promise<TestApp> {
  let open: TestApp[] = [];
  afterEach(async () => {
    const closing = open;
    open = [];
    await Promise.all(closing.map((t) => t.close()));
  });
  return async (env = {}, options = {}) => {
    const t = await createTestApp(dialect, { ...options, env: { ...baseEnv, ...env } });
    open.push(t);
    return t;
  };
}
