/** Password hashing runs one hash per core at a time (password.ts): a burst waits its turn. */
import { availableParallelism } from 'node:os';
import { describe, expect, it, vi } from 'vitest';

const seen = vi.hoisted(() => ({ running: 0, most: 0 }));

vi.mock('@node-rs/argon2', async (original) => {
  const real = await original<typeof import('@node-rs/argon2')>();
  const counted =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      seen.most = Math.max(seen.most, ++seen.running);
      try {
        return await work(...args);
      } finally {
        seen.running--;
      }
    };
  return { ...real, hash: counted(real.hash), verify: counted(real.verify) };
});

const { dummyVerify, hashPassword, verifyPassword } = await import('./password.ts');

describe('password hashing under a burst', () => {
  it('runs at most one hash per core at once, hashing, verifying and dummy verifications alike, and answers every one', async () => {
    const stored = await hashPassword('a burst of sign-ins');
    seen.most = 0;
    const burst = Array.from({ length: 4 * availableParallelism() + 2 }, (_, i) =>
      i % 3 === 0 ? verifyPassword(stored, 'a burst of sign-ins') : i % 3 === 1 ? dummyVerify('a guess') : hashPassword(`new password ${i}`),
    );
    const answers = await Promise.all(burst);
    expect(seen.most).toBe(availableParallelism());
    expect(answers.filter((a) => a === true)).toHaveLength(burst.filter((_, i) => i % 3 === 0).length);
    expect(answers.filter((a) => typeof a === 'string' && a.startsWith('$argon2id$'))).toHaveLength(burst.filter((_, i) => i % 3 === 2).length);
  });
});
