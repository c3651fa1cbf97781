/**
 * A whole Bastion node for browser tests: the real server (web app included) on a free port, an
 * SQLite database of its own, mail to the in-process SMTP server, and a clock the test moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../../test/ports.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { TestSmtpServer, type ReceivedMail } from '../../test/smtp.ts';

export interface E2eNode {
  url: string;
  server: RunningServer;
  smtp: TestSmtpServer;
  clock: ManualClock;
  /** Waits (polling the outbox) until a mail for `address` matching `subject` arrives. */
  waitForMail(address: string, subject: RegExp, after?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

export async function startE2eNode(env: Record<string, string> = {}): Promise<E2eNode> {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-e2e-'));
  const smtp = new TestSmtpServer();
  await smtp.start();
  const port = await freePort();
  const config = loadConfig(
    { NODE_ENV: 'test', DATA_DIR: dir, HOST: '127.0.0.1', PORT: String(port), BASE_URL: `http://localhost:${port}`, SMTP_URL: smtp.url, MAIL_POLL_INTERVAL: '50', LOG_LEVEL: 'silent', ...env },
    { loadDotEnv: false },
  );
  const clock = new ManualClock(Date.now());
  const server = await startServer(config, pino({ level: 'silent' }), { clock });
  return {
    url: config.baseUrl,
    server,
    smtp,
    clock,
    async waitForMail(address, subject, after = 0) {
      for (let i = 0; i < 200; i++) {
        await server.worker.drain();
        const found = smtp.to(address).slice(after).filter((m) => subject.test(m.subject)).at(-1);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`no mail "${subject}" for ${address}`);
    },
    async stop() {
      await server.stop();
      await smtp.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
