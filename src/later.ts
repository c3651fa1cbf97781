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
  /** Starts `work` once the current answer is sent (`answered`), or shortly anyway when nothing is being answered. */
  run(name: string, work: () => Promise<unknown>): void;
  /**
   * Starts `work` at once, tracked like the rest: work that follows an event outside a request's own
   * transaction (what a library reports), which shutdown and tests must still be able to wait for.
   */
  start(name: string, work: () => Promise<unknown>): void;
  /** An answer was sent (the HTTP layer's onResponse): the work waiting for it may start. */
  answered(): void;
  /** Starts what waits, and resolves when everything started so far has finished. */
  idle(): Promise<void>;
}

/** Work that waits for no answer (a command, a sweep) starts after this anyway. */
const FALLBACK_MS = 100;

export function createLater(log: Logger): Later {
  const running = new Set<Promise<void>>();
  /** The release of each job not started yet; a release removes itself, whichever comes first. */
  const waiting = new Set<() => void>();
  const startWaiting = () => {
    for (const release of [...waiting]) release();
  };
  const track = (name: string, work: Promise<unknown>) => {
    const done: Promise<void> = work
      .then(
        () => undefined,
        (err: unknown) => log.error({ err, work: name }, 'work after the answer failed'),
      )
      .finally(() => running.delete(done));
    running.add(done);
  };
  return {
    run(name, work) {
      const released = new Promise<void>((resolve) => {
        const release = () => {
          waiting.delete(release);
          clearTimeout(fallback);
          resolve();
        };
        const fallback = setTimeout(release, FALLBACK_MS);
        waiting.add(release);
      });
      track(name, released.then(work));
    },
    start(name, work) {
      track(name, Promise.resolve().then(work));
    },
    // On the next turn: the answer's own completion (and its caller's) goes first.
    answered: () => {
      if (waiting.size > 0) setImmediate(startWaiting);
    },
    async idle() {
      // Work may leave work of its own for later: that starts too, without waiting for an answer.
      do {
        startWaiting();
        await Promise.all([...running]);
      } while (running.size > 0);
    },
  };
}
