/**
 * No user enumeration through timing (OWASP ASVS V6.3.8): a wrong password for a real account, any
 * password for an unknown email, and the right password for an account whose address is not verified
 * yet (what a sign-up with a free address followed by a sign-in would try) take the same time and get
 * the same answer: unknown and unverified addresses run a dummy argon2id verification with the same
 * parameters. Measured over 200 interleaved rounds of one try of each: the median of the rounds'
 * differences against the median time (test/timing.ts). A locked account and a locked unknown
 * address are refused alike too, before any password work.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { passwordKey, PASSWORD_LOCKOUT } from '../../account/locks.ts';
import { PASSWORD, registerVerified, uniqueEmail } from '../../../test/accounts.ts';
import { createTestApp, dialects, type TestApp } from '../../../test/harness.ts';
import { failInARowUnder } from '../../../test/locks.ts';
import { interleave, pairedDifference } from '../../../test/timing.ts';

const TRIES = 200;
/** The attempt that locks sends an email (after its answer): fewer rounds. */
const LOCKING_TRIES = 100;
const KINDS = ['known', 'unknown', 'unverified'] as const;
type Kind = (typeof KINDS)[number];

describe.each(dialects)('login timing on %s', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers a wrong password, an unknown email and an unverified account alike: same status, same body, the median difference of rounds within 10% of the median time', async () => {
    t = await createTestApp(dialect, { env: { LOGIN_IP_LIMIT: '100000' } });
    const { email } = await registerVerified(t);
    const unverified = uniqueEmail('not-verified-yet');
    const client = t.client();
    expect((await client.post('/api/auth/register', { email: unverified, password: PASSWORD, acceptTerms: true })).status).toBe(202);
    const tries: Record<Kind, { email: string; password: string }> = {
      known: { email, password: 'not-the-password-123' },
      unknown: { email: 'nobody-here@example.com', password: 'not-the-password-123' },
      // The password chosen at sign-up: right, but the address is not verified.
      unverified: { email: unverified, password: PASSWORD },
    };
    const times: Record<Kind, number[]> = { known: [], unknown: [], unverified: [] };
    const bodies = new Set<string>();
    const statuses = new Set<number>();

    const attempt = async (kind: Kind) => {
      await t!.deps.throttle.unlock(passwordKey(tries[kind].email)); // measure the password check, not the lockout
      const start = process.hrtime.bigint();
      const res = await client.post('/api/auth/login', tries[kind]);
      times[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      statuses.add(res.status);
      bodies.add(JSON.stringify(res.body));
      await t!.deps.later.idle(); // the activity row a refusal writes after its answer, before the next try
    };
    await interleave(KINDS, TRIES, times, attempt);

    expect([...statuses]).toEqual([401]);
    expect(bodies.size).toBe(1);
    expect(client.cookies.size).toBe(0);
    // The refusals of both accounts were recorded in their login activity, only after the answer.
    for (const address of [email, unverified]) {
      const rows = await t.deps.store.db
        .selectFrom('login_activity')
        .innerJoin('users', 'users.id', 'login_activity.user_id')
        .where('users.email', '=', address)
        .where('login_activity.result', '=', 'wrong_password')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBe(TRIES + 1);
    }
    for (const kind of ['unknown', 'unverified'] as const) {
      const { ratio, seen } = pairedDifference({ name: 'known', times: times.known }, { name: kind, times: times[kind] });
      expect(ratio, seen).toBeLessThan(0.1);
    }
  }, 180_000);

  it('answers the attempt that locks a known account and the one that locks an unknown address alike: the lock notice an account gets is sent after the answer', async () => {
    t = await createTestApp(dialect, { env: { LOGIN_IP_LIMIT: '100000' } });
    const { email } = await registerVerified(t);
    const unknown = 'nobody-to-lock@example.com';
    const client = t.client();
    const times = { known: [] as number[], unknown: [] as number[] };
    const answers = new Set<string>();
    const attempt = async (kind: 'known' | 'unknown') => {
      const address = kind === 'known' ? email : unknown;
      // Four wrong attempts counted without checking a password: the one timed is the fifth, which locks.
      await t!.deps.throttle.unlock(passwordKey(address));
      await failInARowUnder(t!, passwordKey(address), PASSWORD_LOCKOUT.maxAttempts - 1, PASSWORD_LOCKOUT);
      const start = process.hrtime.bigint();
      const res = await client.post('/api/auth/login', { email: address, password: 'not-the-password-123' });
      times[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      answers.add(`${res.status} ${JSON.stringify(res.body)}`);
      await t!.deps.later.idle();
    };
    await interleave(['known', 'unknown'], LOCKING_TRIES, times, attempt);
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/^401 .*"invalid_credentials"/);
    // The owner was told of each lock, and each is an audit event: the work happened, after the answer.
    const locked = await t.deps.store.db.selectFrom('audit_events').select('seq').where('type', '=', 'account.locked').execute();
    expect(locked).toHaveLength(LOCKING_TRIES + 1);
    const { ratio, seen } = pairedDifference({ name: 'known', times: times.known }, { name: 'unknown', times: times.unknown });
    expect(ratio, seen).toBeLessThan(0.1);
  }, 180_000);

  it('answers a locked account (even its right password) and a locked unknown address alike: the same 429, the median difference of pairs within 10% of the median time', async () => {
    t = await createTestApp(dialect, { env: { LOGIN_IP_LIMIT: '100000' } });
    const { email, password } = await registerVerified(t);
    const unknown = 'nobody-locked@example.com';
    for (const address of [email, unknown]) await t.deps.throttle.lock(passwordKey(address), 60 * 60_000);
    const client = t.client();
    const times = { known: [] as number[], unknown: [] as number[] };
    const answers = new Set<string>();
    const attempt = async (kind: 'known' | 'unknown') => {
      const start = process.hrtime.bigint();
      const res = await client.post('/api/auth/login', kind === 'known' ? { email, password } : { email: unknown, password });
      times[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      answers.add(`${res.status} ${res.headers['retry-after']} ${JSON.stringify(res.body)}`);
      await t!.deps.later.idle(); // the refusal a locked account's activity records after its answer, before the next try
    };
    await interleave(['known', 'unknown'], TRIES, times, attempt);
    expect([...answers]).toHaveLength(1);
    expect([...answers][0]).toMatch(/^429 3600 .*"account_locked"/);
    const { ratio, seen } = pairedDifference({ name: 'known', times: times.known }, { name: 'unknown', times: times.unknown });
    expect(ratio, seen).toBeLessThan(0.1);
  }, 180_000);
});
