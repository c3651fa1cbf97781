/**
 * Where delivered mail goes: real SMTP (nodemailer, SMTP_URL) or, in development, the dev inbox
 * (a table shown at /dev/mail). A transport throws when delivery failed; the worker retries.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/database.ts';

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface Transport {
  /** Human description for the start-up banner. */
  description: string;
  deliver(message: OutgoingMessage): Promise<void>;
  close(): void;
}

export function smtpTransport(url: string): Transport {
  const transporter = nodemailer.createTransport(url);
  const safe = new URL(url);
  safe.password = '';
  safe.username = '';
  return {
    description: `SMTP ${safe.host}`,
    async deliver(message) {
      await transporter.sendMail(message);
    },
    close: () => transporter.close(),
  };
}

export function devInboxTransport(db: Db, clock: Clock, log: Logger, inboxUrl: string): Transport {
  return {
    description: `the dev inbox at ${inboxUrl}`,
    async deliver(message) {
      await db
        .insertInto('dev_mail')
        .values({ id: randomUUID(), recipient: message.to, subject: message.subject, html: message.html, text: message.text, created_at: clock.now() })
        .execute();
      // A summary only: bodies carry one-time links and codes.
      log.info({ to: message.to, subject: message.subject }, `mail delivered to the dev inbox (${inboxUrl})`);
    },
    close: () => undefined,
  };
}
