import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTestApp, dialects, type TestApp } from '../../test/harness.ts';
import { TestSmtpServer } from '../../test/smtp.ts';
import { inTransaction } from '../store/database.ts';
import { smtpTransport } from './transport.ts';
import { backoff, createMailWorker, MAX_ATTEMPTS } from './worker.ts';

describe.each(dialects)('mail outbox on %s', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('delivers a committed email over real SMTP, then clears its body and keeps its status', async () => {
    t = await createTestApp(dialect);
    const { deps } = t;
    await inTransaction(deps.store.db, (tx) => deps.mail.send(tx, 'login_code', 'ann@example.com', { code: '123456', minutes: 10 }));
    const mail = await t.latestMail('ann@example.com');
    expect(mail.subject).toBe('Bastion: Your sign-in code');
    expect(mail.text).toContain('123456');
    expect(mail.html).toContain('123456');
    const row = await deps.store.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, body_sealed: null, recipient: 'ann@example.com' });
    expect(row.sent_at).toBe(t.clock.now());
  });

  it('never sends an email written in a transaction that rolls back', async () => {
    t = await createTestApp(dialect);
    const { deps } = t;
    await expect(
      inTransaction(deps.store.db, async (tx) => {
        await deps.mail.send(tx, 'login_code', 'bob@example.com', { code: '654321', minutes: 10 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.mailTo('bob@example.com')).toEqual([]);
    expect(await deps.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });

  it('keeps the body sealed at rest: no code or link in the outbox row', async () => {
    t = await createTestApp(dialect);
    const { deps } = t;
    await inTransaction(deps.store.db, (tx) => deps.mail.send(tx, 'verify_email', 'cy@example.com', { link: 'http://localhost:3000/verify-email?token=SECRETTOKEN', code: '987654' }));
    const row = await deps.store.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('SECRETTOKEN');
    expect(JSON.stringify(row)).not.toContain('987654');
  });

  it('queues mail while the SMTP server is down and delivers it once the server is up', async () => {
    t = await createTestApp(dialect);
    const { deps, clock } = t;
    const down = new TestSmtpServer();
    await down.start();
    const port = down.port;
    await down.stop(); // nothing listens on `port` now
    const worker = createMailWorker({
      db: deps.store.db,
      clock,
      keyring: deps.keyring,
      transport: smtpTransport(`smtp://127.0.0.1:${port}`),
      from: 'Bastion <no-reply@localhost>',
      log: pino({ level: 'silent' }),
    });
    await inTransaction(deps.store.db, (tx) => deps.mail.send(tx, 'login_code', 'dee@example.com', { code: '111222', minutes: 10 }));
    expect(await worker.drain()).toBe(0);
    let row = await deps.store.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toBeTruthy();
    expect(row.next_attempt_at).toBe(clock.now() + backoff(1));

    const up = new TestSmtpServer();
    await up.start(port);
    try {
      expect(await worker.drain()).toBe(0); // not due yet: the backoff decides
      clock.advance(backoff(1));
      expect(await worker.drain()).toBe(1);
      expect(up.to('dee@example.com')[0]?.text).toContain('111222');
      row = await deps.store.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    } finally {
      await up.stop();
    }
  });

  it('gives up after MAX_ATTEMPTS and records the failure (and the metrics count each failed try and the one for good)', async () => {
    t = await createTestApp(dialect);
    const { deps, clock } = t;
    const worker = createMailWorker({
      db: deps.store.db,
      clock,
      keyring: deps.keyring,
      transport: { description: 'broken', deliver: async () => Promise.reject(new Error('mailbox unavailable')), close: () => undefined },
      from: 'x@localhost',
      log: pino({ level: 'silent' }),
      metrics: deps.metrics,
    });
    await inTransaction(deps.store.db, (tx) => deps.mail.send(tx, 'login_code', 'eve@example.com', { code: '000000', minutes: 10 }));
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await worker.drain();
      clock.advance(backoff(MAX_ATTEMPTS));
    }
    const row = await deps.store.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'mailbox unavailable' });
    expect(row.body_sealed).not.toBeNull(); // kept sealed, so staff can retry it
    const text = await deps.metrics.registry.metrics();
    expect(text).toContain(`bastion_mail_delivery_failures_total{final="false"} ${MAX_ATTEMPTS - 1}`);
    expect(text).toContain('bastion_mail_delivery_failures_total{final="true"} 1');
    expect(text).toContain('bastion_outbox_failed 1');
  });

  it('two workers (two nodes) never send the same message twice', async () => {
    t = await createTestApp(dialect);
    const { deps } = t;
    await inTransaction(deps.store.db, async (tx) => {
      for (let i = 0; i < 10; i++) await deps.mail.send(tx, 'login_code', `n${i}@example.com`, { code: '123123', minutes: 10 });
    });
    const other = createMailWorker({ db: deps.store.db, clock: t.clock, keyring: deps.keyring, transport: smtpTransport(t.smtp.url), from: 'x@localhost', log: pino({ level: 'silent' }) });
    const [a, b] = await Promise.all([t.worker.drain(), other.drain()]);
    expect(a + b).toBe(10);
    expect(t.smtp.messages).toHaveLength(10);
  });
});
