/**
 * The machine's limit for password sign-ins: argon2id hashes (Bastion's parameters, the same
 * @node-rs/argon2) verified N at a time for DURATION_MS, in a process of its own with nothing else
 * running; prints {"hashes":…, "seconds":…, "perSecond":…, "parallel":N} on stdout.
 */
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const parallel = Number(process.env.PARALLEL ?? 2);
const durationMs = Number(process.env.DURATION_MS ?? 5000);

const stored = await hash('violet-harbor-compass-91', ARGON2ID);
// One round first: the threads start and the memory is touched before the clock does.
await Promise.all(Array.from({ length: parallel }, () => verify(stored, 'violet-harbor-compass-91')));
let hashes = 0;
const started = performance.now();
const end = started + durationMs;
await Promise.all(
  Array.from({ length: parallel }, async () => {
    while (performance.now() < end) {
      await verify(stored, 'violet-harbor-compass-91');
      hashes++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ hashes, seconds, perSecond: hashes / seconds, parallel })}\n`);
