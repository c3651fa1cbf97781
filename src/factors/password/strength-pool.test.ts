/** The strength meter's scorer runs in worker threads: the main thread keeps turning meanwhile, the answers are the policy's own, and a flood is refused rather than queued without end. */
import { describe, expect, it } from 'vitest';
import { passwordStrength } from './policy.ts';
import { scoreOffThread } from './strength-pool.ts';

/** zxcvbn takes most of a second on this (measured: ≈ 0.8 s on the main thread). */
const crafted = Array.from({ length: 100 }, (_, i) => 'aZ9!xQ'[i % 6] + (i % 7 === 0 ? 'password' : '')).join('').slice(0, 100);

describe('the strength pool', () => {
  it('scores in a worker thread: the main thread keeps turning while a crafted password is scored', async () => {
    let done = false;
    const scored = scoreOffThread(crafted, '').finally(() => {
      done = true;
    });
    let turns = 0;
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      turns += 1;
    }
    // Scored on the main thread, it would be done before the first turn.
    expect(turns).toBeGreaterThan(20);
    expect(await scored).toBe(passwordStrength(crafted));
    for (const [password, email] of [['violet-harbor-compass-91', ''], ['password', ''], ['carol.smith-2024', 'carol.smith@example.com']] as const) {
      expect(await scoreOffThread(password, email), password).toBe(passwordStrength(password, email || undefined));
    }
  }, 30_000);

  it('refuses what would wait beyond its queue with 503 strength_unavailable, and still scores afterwards', async () => {
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => scoreOffThread(`${crafted.slice(0, 60)}${i}`, '')));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 503, code: 'strength_unavailable' });
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(32);
    expect(await scoreOffThread('violet-harbor-compass-91', '')).toBe(passwordStrength('violet-harbor-compass-91'));
  }, 60_000);
});
