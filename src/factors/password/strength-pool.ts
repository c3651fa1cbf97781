/**
 * Scores passwords for the strength meter off the main thread. zxcvbn's matching can take most of
 * a second on a crafted 100-character input; on the main thread four such requests would stall every
 * other request for seconds. Here a small pool of worker threads does it, with a bounded queue (a
 * full one answers 503) and a time limit per score (a worker that overruns is replaced). The policy's
 * rules themselves (policy.ts checkPasswordRules) are cheap and stay where they are used.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors/app-error.ts';
import type { PasswordScore } from './policy.ts';

// The worker next to this module: strength-worker.ts in the source, strength-worker.js once compiled (npm run build).
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './strength-worker.ts' : './strength-worker.js', import.meta.url);
const SIZE = Math.max(1, Math.min(2, availableParallelism() - 1));
const MAX_WAITING = 32;
const TIME_LIMIT_MS = 5000;

interface Job {
  id: number;
  password: string;
  email: string;
  resolve: (score: PasswordScore) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Loaded: a worker still starting takes no job (its start-up does not count against the time limit). */
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const busy = () => new AppError(503, 'strength_unavailable', 'The strength meter is busy; try again in a moment.');

/** A worker for the scorer: the compiled module as it is, or the TypeScript source through tsx (development, tests). */
function startWorker(): Worker {
  if (!WORKER.pathname.endsWith('.ts')) return new Worker(WORKER);
  // tsx's ESM entry (import.meta.resolve where the runtime has it; else from the working directory, as npm runs it).
  const tsx = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER.href)}); })`, { eval: true });
}

class StrengthPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private next = 1;

  /** Starts every worker now (a server at boot), so the first strength check waits on no start-up. */
  warm(): void {
    while (this.slots.length < SIZE) this.add();
  }

  score(password: string, email: string): Promise<PasswordScore> {
    if (this.waiting.length >= MAX_WAITING) return Promise.reject(busy());
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.next++, password, email, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const slot = this.slots.find((s) => s.ready && s.job === null);
      if (!slot) {
        if (this.slots.length < SIZE) this.add();
        return;
      }
      const job = this.waiting.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => this.replace(slot, busy()), TIME_LIMIT_MS);
      slot.worker.postMessage({ id: job.id, password: job.password, email: job.email });
    }
  }

  private add(): Slot {
    const slot: Slot = { worker: startWorker(), ready: false, job: null, timer: null };
    slot.worker.unref();
    slot.worker.on('message', (answer: { id: number; score: PasswordScore } | { ready: true }) => {
      if ('ready' in answer) {
        slot.ready = true;
        return this.dispatch();
      }
      if (slot.job?.id !== answer.id) return;
      const job = slot.job;
      this.free(slot);
      job.resolve(answer.score);
      this.dispatch();
    });
    slot.worker.on('error', (error) => this.replace(slot, error));
    this.slots.push(slot);
    return slot;
  }

  private free(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  /** The worker overran or failed: its job is refused, and another worker takes its place. */
  private replace(slot: Slot, error: Error): void {
    const job = slot.job;
    this.free(slot);
    this.slots.splice(this.slots.indexOf(slot), 1);
    void slot.worker.terminate();
    job?.reject(error instanceof AppError ? error : busy());
    // A worker that could not even start: what waits is refused now rather than left waiting on more failing starts.
    if (!slot.ready) {
      for (const waiting of this.waiting.splice(0)) waiting.reject(busy());
      return;
    }
    this.dispatch();
  }
}

/** One pool per process, whichever server in it asks; its workers are unref'd, so they never keep the process alive. */
let pool: StrengthPool | undefined;
const thePool = () => (pool ??= new StrengthPool());

/** The zxcvbn score (0..4) of a password, worked out in a worker thread. */
export function scoreOffThread(password: string, email: string): Promise<PasswordScore> {
  return thePool().score(password, email);
}

/** Starts the workers before the first request needs them (the server at boot). */
export function warmStrengthPool(): void {
  thePool().warm();
}
