/**
 * Delivers the outbox. Each pass claims due messages one at a time (a claim is a conditional update,
 * so several nodes can run workers without sending a message twice), delivers, and records the
 * result. A failure is retried with exponential backoff; after MAX_ATTEMPTS the message is marked
 * failed, its last error kept (and its sealed body, so staff can retry it from the console). An SMTP outage delays mail but loses none.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Metrics } from '../metrics/metrics.ts';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Keyring } from '../crypto/encryption.ts';
import type { Db } from '../store/database.ts';
import { bodyContext } from './outbox.ts';
import type { Transport } from './transport.ts';

export const MAX_ATTEMPTS = 20;
const CLAIM_MS = 60_000;

/** 30 s, 1 min, 2 min … capped at 1 h: about 15 hours of retries in all. */
export function backoff(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface MailWorker {
  /** Delivers every message due now; resolves with how many were delivered. */
  drain(): Promise<number>;
  start(intervalMs: number): void;
  /** Stops polling and waits for the message being sent, if any. */
  stop(): Promise<void>;
}

export function createMailWorker(deps: { db: Db; clock: Clock; keyring: Keyring; transport: Transport; from: string; log: Logger; metrics?: Pick<Metrics, 'mailFailures'> }): MailWorker {
  const { db, clock, keyring, transport, log, metrics } = deps;
  let loop: Promise<void> | undefined;
  let abort: AbortController | undefined;
  let passInFlight: Promise<void> | undefined;

  async function deliverOne(id: string): Promise<boolean> {
    const now = clock.now();
    const claimed = await db
      .updateTable('outbox')
      .set({ claimed_until: now + CLAIM_MS })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .returning(['id', 'recipient', 'subject', 'body_sealed', 'attempts'])
      .executeTakeFirst();
    if (!claimed || claimed.body_sealed === null) return false;
    try {
      const body = JSON.parse(keyring.openText(claimed.body_sealed, bodyContext(id))) as { html: string; text: string };
      await transport.deliver({ from: deps.from, to: claimed.recipient, subject: claimed.subject, ...body });
      await db
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: clock.now(), attempts: claimed.attempts + 1, body_sealed: null, claimed_until: null, last_error: null })
        .where('id', '=', id)
        .execute();
      return true;
    } catch (error) {
      const attempts = claimed.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const failed = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('outbox')
        .set({
          status: failed ? 'failed' : 'pending',
          attempts,
          next_attempt_at: clock.now() + backoff(attempts),
          claimed_until: null,
          last_error: message.slice(0, 500),
        })
        .where('id', '=', id)
        .execute();
      metrics?.mailFailures.inc({ final: String(failed) });
      log.warn({ mailId: id, attempts, failed, err: message }, failed ? 'mail delivery failed for good' : 'mail delivery failed; will retry');
      return false;
    }
  }

  async function pass(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const now = clock.now();
      const due = await db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .orderBy('created_at')
        .limit(50)
        .execute();
      if (due.length === 0) return delivered;
      let progressed = false;
      for (const { id } of due) {
        if (abort?.signal.aborted) return delivered;
        const before = delivered;
        if (await deliverOne(id)) delivered++;
        progressed ||= delivered > before;
      }
      // Everything due failed (e.g. SMTP down): stop here, the backoff decides the next try.
      if (!progressed) return delivered;
    }
  }

  // Passes never overlap within a process: each waits for the one before it.
  const drain = () => {
    const run = (passInFlight ?? Promise.resolve()).then(() => pass());
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    passInFlight = settled;
    void settled.then(() => {
      if (passInFlight === settled) passInFlight = undefined;
    });
    return run;
  };

  return {
    drain,
    start(intervalMs) {
      if (loop) return;
      abort = new AbortController();
      const signal = abort.signal;
      loop = (async () => {
        while (!signal.aborted) {
          try {
            await drain();
          } catch (error) {
            log.error({ err: error }, 'mail worker pass failed');
          }
          await delay(intervalMs, undefined, { signal }).catch(() => undefined);
        }
      })();
    },
    async stop() {
      abort?.abort();
      await loop;
      await passInFlight;
      loop = undefined;
    },
  };
}
