/**
 * Work done after the answer is sent. Where the work depends on whether an account exists (a reset
 * email for a known address, none for an unknown one), doing it before answering would show in the
 * answer's time: a stranger could tell which addresses have accounts (OWASP ASVS V6.3.8). The work
 * itself is unchanged — its state change, email and audit event still in one transaction — it only
 * starts after the answer. Tracked, so that shutdown (and a test) can wait for it; a failure is
 * logged, never thrown at a caller who has been answered already.
 */
import type { Logger } from 'pino';

export interface Later {
  /** Starts `work` on the next turn of the event loop, after the current answer is written. */
  run(name: string, work: () => Promise<unknown>): void;
  /** Resolves when everything started so far has finished. */
  idle(): Promise<void>;
}

export function createLater(log: Logger): Later {
  const running = new Set<Promise<void>>();
  return {
    run(name, work) {
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .then(
          () => undefined,
          (err: unknown) => log.error({ err, work: name }, 'work after the answer failed'),
        )
        .finally(() => running.delete(done));
      running.add(done);
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
