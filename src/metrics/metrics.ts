/**
 * Metrics in the Prometheus format (prom-client), one registry per node: what to alert on.
 * Counters are counted where things happen (through Deps); gauges that the database knows (the
 * outbox, the audit seal's lag) are read at each scrape. Served at GET /metrics only when asked for
 * (METRICS_TOKEN, or METRICS_PORT: http/metrics-route.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { PasswordHasher } from '../crypto/password.ts';
import type { Db } from '../store/database.ts';

export interface Metrics {
  registry: Registry;
  /** Every answered request, by route pattern (never the raw path: ids would explode the series). */
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Sign-in attempts and other proofs, by purpose, result (login activity's words) and method. */
  attempts: Counter<'purpose' | 'result' | 'method'>;
  /** Locks begun after failed attempts, by what was locked (login: a password, mfa: a factor…) and whether hard. */
  lockouts: Counter<'lock' | 'hard'>;
  /** Delivery attempts of the outbox that failed, and whether that was the last try. */
  mailFailures: Counter<'final'>;
  /** Password hashes computed (argon2id), by why: a new password, a check, or an unknown account's stand-in. What an attack costs in CPU. */
  passwordHashes: Counter<'op'>;
}

export function createMetrics(options: { db: Db; clock: Clock; processMetrics: boolean }): Metrics {
  const registry = new Registry();
  // Process metrics include the event loop's lag (nodejs_eventloop_lag_seconds and its percentiles).
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const { db, clock } = options;
  const countOf = (name: string, help: string, count: () => Promise<{ n: number | string | bigint }>) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(Number((await count()).n));
      },
    });
  const outbox = (status: 'pending' | 'failed') => () =>
    db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirstOrThrow();
  countOf('bastion_outbox_pending', 'Emails waiting in the outbox to be delivered', outbox('pending'));
  countOf('bastion_outbox_failed', 'Emails whose delivery failed for good (staff can retry them from the console)', outbox('failed'));
  countOf('bastion_audit_pending', 'Audit events waiting to be sealed into the chain', () =>
    db.selectFrom('audit_pending').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  );
  new Gauge({
    name: 'bastion_audit_seal_lag_seconds',
    help: 'Age of the oldest audit event not yet sealed into the chain (0 when none waits)',
    registers: [registry],
    async collect() {
      const row = await db
        .selectFrom('audit_pending as p')
        .innerJoin('audit_events as e', 'e.seq', 'p.seq')
        .select((eb) => eb.fn.min<number>('e.at').as('oldest'))
        .executeTakeFirst();
      const oldest = row?.oldest == null ? null : Number(row.oldest);
      this.set(oldest === null ? 0 : Math.max(0, clock.now() - oldest) / 1000);
    },
  });
  return {
    registry,
    requestDuration: new Histogram({
      name: 'bastion_http_request_duration_seconds',
      help: 'Time to answer a request, by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    attempts: new Counter({
      name: 'bastion_sign_in_attempts_total',
      help: 'Sign-in attempts and other proofs of a factor, by purpose, result and method',
      labelNames: ['purpose', 'result', 'method'],
      registers: [registry],
    }),
    lockouts: new Counter({ name: 'bastion_lockouts_total', help: 'Locks begun after failed attempts', labelNames: ['lock', 'hard'], registers: [registry] }),
    mailFailures: new Counter({ name: 'bastion_mail_delivery_failures_total', help: 'Failed delivery attempts of the outbox', labelNames: ['final'], registers: [registry] }),
    passwordHashes: new Counter({
      name: 'bastion_password_hashes_total',
      help: 'Password hashes computed, by operation (hash: a new password; verify: a check; dummy: the stand-in for an unknown account)',
      labelNames: ['op'],
      registers: [registry],
    }),
  };
}

/** The hasher, counting each hash it computes into bastion_password_hashes_total. */
export function countedHasher(hasher: PasswordHasher, metrics: Pick<Metrics, 'passwordHashes'>): PasswordHasher {
  return {
    hash: (password) => {
      metrics.passwordHashes.inc({ op: 'hash' });
      return hasher.hash(password);
    },
    verify: (storedHash, password) => {
      metrics.passwordHashes.inc({ op: 'verify' });
      return hasher.verify(storedHash, password);
    },
    dummyVerify: (password) => {
      metrics.passwordHashes.inc({ op: 'dummy' });
      return hasher.dummyVerify(password);
    },
  };
}
