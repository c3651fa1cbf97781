/** The strength meter's scorer, in a worker thread (strength-pool.ts): one message in, one score out. */
import { parentPort } from 'node:worker_threads';
import { passwordStrength } from './policy.ts';

parentPort!.on('message', (job: { id: number; password: string; email: string }) => {
  parentPort!.postMessage({ id: job.id, score: passwordStrength(job.password, job.email || undefined) });
});
// Loaded (and the dictionaries warmed): the pool's time limit counts from here, not from the start.
passwordStrength('warm-up');
parentPort!.postMessage({ ready: true });
