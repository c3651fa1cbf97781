/**
 * Starts a whole Bastion node: database (migrated), services, HTTP server, the mail worker and the
 * timed work (the maintenance sweep, what is due, the audit sealer); `stop()` shuts it down
 * gracefully (stop accepting, finish requests in flight and a sweep under way, let the worker
 * finish the message it is sending, close the database).
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createDeps } from './compose.ts';
import type { Deps } from './deps.ts';
import { SEAL_INTERVAL_MS } from './audit/seal.ts';
import { pruneActivity } from './account/activity.ts';
import { endLapsedAppSessions } from './account/app-sessions.ts';
import { pruneTokens } from './account/tokens.ts';
import { sweepKycRetention } from './flows/kyc/erasure.ts';
import { carryOutDueResets } from './flows/two-factor-reset/carry-out.ts';
import { expireDueWithdrawals } from './flows/custody/withdrawal-expiry.ts';
import { pruneOidcPayloads } from './flows/oidc/adapter.ts';
import { fillDevelopmentPrices } from './flows/custody/dev-prices.ts';
import { warmStrengthPool } from './factors/password/strength-pool.ts';
import { pruneIdempotencyKeys } from './http/idempotency.ts';
import { startMetricsListener } from './http/metrics-route.ts';
import { loadTls } from './http/tls.ts';
import { devInboxTransport, smtpTransport, type Transport } from './mail/transport.ts';
import { createMailWorker, type MailWorker } from './mail/worker.ts';
import { inTransaction, openStore } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';
import { takeTurn } from './store/turns.ts';

export interface RunningServer {
  app: FastifyInstance;
  deps: Deps;
  worker: MailWorker;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, log: Logger, options: { clock?: Clock } = {}): Promise<RunningServer> {
  const store = openStore(config.databaseUrl);
  const applied = await migrateToLatest(store);
  if (applied.length > 0) log.info({ migrations: applied }, `applied ${applied.length} migration(s)`);
  const deps = createDeps({ config, store, log, ...(options.clock ? { clock: options.clock } : {}) });
  if (config.env === 'development') {
    const filled = await fillDevelopmentPrices(deps);
    if (filled.length > 0) log.info({ assets: filled }, 'development: filled in reference USD prices (set real ones with `bastion prices set`)');
  }
  if (config.custody.generatedDepositKeys) log.info('deposit addresses derive from throwaway keys in DATA_DIR/deposit-keys.json (set DEPOSIT_XPUB_BTC and DEPOSIT_XPUB_EVM for real ones)');

  const devInbox = !config.smtpUrl;
  const transport: Transport = config.smtpUrl
    ? smtpTransport(config.smtpUrl)
    : devInboxTransport(store.db, deps.clock, log, `${config.baseUrl}/dev/mail`);
  const worker = createMailWorker({ db: store.db, clock: deps.clock, keyring: deps.keyring, transport, from: config.mailFrom, log, metrics: deps.metrics });

  const app = await buildApp(deps, { https: loadTls(config), devInbox });
  // The strength meter's workers start with the node, not on the first sign-up page's keystroke.
  warmStrengthPool();
  await app.listen({ host: config.host, port: config.port });
  worker.start(config.mailPollIntervalMs);
  // The maintenance sweep, every SWEEP_INTERVAL: on one node at a time (sweepOnce); a round still
  // running here skips the next.
  let sweeping: Promise<unknown> | null = null;
  const sweeper = setInterval(() => {
    sweeping ??= sweepOnce(deps)
      .catch((err: unknown) => log.warn({ err }, 'maintenance sweep failed'))
      .finally(() => {
        sweeping = null;
      });
  }, config.sweepIntervalMs);
  sweeper.unref();
  // Every minute, what is due: approved lost-2FA resets whose wait is over (a sign-in carries out its
  // own account's at once), and withdrawals whose emailed link ran out (their funds return).
  const due = setInterval(() => {
    void carryOutDueResets(deps)
      .then((done) => done > 0 && log.info({ done }, 'carried out lost-2FA resets whose wait was over'))
      .catch((err: unknown) => log.warn({ err }, 'carrying out due 2FA resets failed'));
    void expireDueWithdrawals(deps)
      .then((expired) => expired > 0 && log.info({ expired }, 'expired withdrawals whose confirmation link ran out'))
      .catch((err: unknown) => log.warn({ err }, 'expiring withdrawals failed'));
  }, 60_000);
  due.unref();

  // Every half second, events waiting are sealed into the audit chain (audit/seal.ts): on one node
  // at a time, whichever takes the turn; a round still running skips the next.
  let sealing: Promise<unknown> | null = null;
  const seal = () =>
    (sealing ??= deps.audit
      .seal()
      .catch((err: unknown) => log.warn({ err }, 'sealing audit events failed'))
      .finally(() => {
        sealing = null;
      }));
  const sealer = setInterval(() => void seal(), SEAL_INTERVAL_MS);
  sealer.unref();

  const metricsListener = config.metrics.port === undefined ? null : await startMetricsListener(deps.metrics.registry, config.host, config.metrics.port);
  if (metricsListener) log.info(`Metrics are served at http://${config.host}:${config.metrics.port}/metrics`);

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.baseUrl;
  log.info({ url, port, database: store.description, mail: transport.description }, `Bastion is listening on ${url}`);
  log.info(`Database: ${store.description}`);
  log.info(`Mail goes to ${transport.description}`);
  if (config.generatedSecretsFile) log.info(`Secrets (session and encryption keys) are kept in ${config.generatedSecretsFile}`);

  let stopping: Promise<void> | undefined;
  return {
    app,
    deps,
    worker,
    url,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(sweeper);
        clearInterval(due);
        clearInterval(sealer);
        metricsListener?.close();
        await app.close();
        await deps.later.idle();
        await sweeping;
        await sealing;
        await seal();
        await worker.stop();
        transport.close();
        await deps.throttle.close();
        await store.close();
      })()),
  };
}

/** Any constant: the key of the PostgreSQL advisory lock the nodes' maintenance sweeps take turns on. */
export const SWEEP_LOCK_KEY = 0x7377_6570;

/**
 * The maintenance sweep: lapsed throttle counters, login activity past its retention, expired
 * single-use tokens, old idempotency answers, identity documents past their retention, the OpenID
 * Connect provider's expired records, the app sessions of Bastion sessions that lapsed (idle, too
 * old). One node at
 * a time: on PostgreSQL whoever takes the advisory lock, held (in a transaction of its own) for the
 * whole run, so the others skip their turn, and a node that dies mid-run lets go of it with its
 * connection; on SQLite there is one node. Each run logs one line (`sweep`: its start and end, and
 * what it removed). Resolves false when another node had the turn.
 */
export async function sweepOnce(deps: Deps): Promise<boolean> {
  const { log, clock } = deps;
  const run = async () => {
    const startedAt = clock.now();
    await deps.throttle.sweep();
    const activity = await pruneActivity(deps);
    const tokens = await pruneTokens(deps);
    const idempotencyAnswers = await pruneIdempotencyKeys(deps);
    const kycErased = await sweepKycRetention(deps);
    const oidcRecords = await pruneOidcPayloads(deps.store.db, clock.now());
    const appSessionsLapsed = await endLapsedAppSessions(deps);
    log.info({ sweep: { startedAt, endedAt: clock.now(), activity, tokens, idempotencyAnswers, kycErased, oidcRecords, appSessionsLapsed } }, 'maintenance sweep done');
  };
  if (deps.store.dialect !== 'postgres') {
    await run();
    return true;
  }
  return inTransaction(deps.store.db, async (tx) => {
    if (!(await takeTurn(tx, deps.store.dialect, SWEEP_LOCK_KEY))) {
      log.debug('maintenance sweep skipped: another node is sweeping');
      return false;
    }
    await run();
    return true;
  });
}
