/** Lockout set-ups: failures in a row on one lock, straight on the throttle (the HTTP tests show each route counts). */
import { CODE_LOCKOUT } from '../src/account/locks.ts';
import type { LockoutPolicy } from '../src/throttle/index.ts';
import type { TestApp } from './harness.ts';

/** `count` failures in a row on `key` under the code policy, waiting out each lock as it comes (the clock moves). */
export async function failInARow(t: TestApp, key: string, count: number): Promise<void> {
  await failInARowUnder(t, key, count, CODE_LOCKOUT);
}

/** The same under another policy. */
export async function failInARowUnder(t: TestApp, key: string, count: number, policy: LockoutPolicy): Promise<void> {
  for (let i = 0; i < count; i++) {
    const until = await t.deps.throttle.lockedUntil(key);
    if (until !== null) t.clock.advance(until - t.clock.now());
    const reserved = await t.deps.throttle.acquire(key, policy);
    if (!reserved.ok) throw new Error(`no attempt reserved on ${key}`);
    await t.deps.throttle.fail(key, policy, reserved.lease);
  }
}
