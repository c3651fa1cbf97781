/**
 * Password lockout and the per-IP limit, over HTTP: 5 wrong passwords in a row lock an email address
 * (known or not) for 15 minutes, then 30, …; the owner is emailed; a success resets the count; no
 * more than 5 password checks ever run between locks, however many requests arrive at once.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, knownBrowser, registerVerified, uniqueEmail } from '../../../test/accounts.ts';
import { factorKey, PASSWORD_LOCKOUT, passwordKey } from '../../account/locks.ts';
import { RESERVATION_LEASE_MS } from '../../throttle/throttle.ts';
import { startLogin } from '../../../test/login.ts';
import type { TestResponse } from '../../../test/client.ts';
import { dialects, type TestApp, testApps } from '../../../test/harness.ts';
import { mailsWithSubject, SUBJECTS } from '../../../test/mail.ts';
import { auditOf } from '../../../test/queries.ts';
import { MINUTE } from '../../../test/time.ts';

const WRONG = 'definitely-not-the-password-7';

/** "2026-01-15 09:15 UTC", as the lock email writes times. */
const mailTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const lockMails = (t: TestApp, email: string) => mailsWithSubject(t, email, SUBJECTS.accountLocked);

describe.each(dialects)('login lockout on %s', (dialect) => {
  const app = testApps(dialect);

  const login = (t: TestApp, email: string, password: string, ip?: string) =>
    t.client(ip ? { ip } : {}).post('/api/auth/login', { email, password });

  it('locks after 5 wrong passwords: 429 with Retry-After 900 and lockedUntil, the same for the right password', async () => {
    const t = await app();
    const { email, password } = await registerVerified(t);
    for (let i = 0; i < 5; i++) {
      const res = await login(t, email, WRONG);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
      expect(res.body.error).toBe('invalid_credentials');
    }
    const lockedUntil = t.clock.now() + 15 * MINUTE;
    const right = await login(t, email, password);
    expect(right.status).toBe(429);
    expect(right.headers['retry-after']).toBe('900');
    expect(right.body).toMatchObject({ error: 'account_locked', retryAfter: 900, lockedUntil: new Date(lockedUntil).toISOString() });
    expect(right.headers['set-cookie']).toBeUndefined();
    const wrong = await login(t, email, WRONG);
    expect(wrong.status).toBe(429);
    expect(wrong.body).toEqual(right.body);
    expect(wrong.headers['retry-after']).toBe(right.headers['retry-after']);

    // Retry-After counts down with the clock.
    t.clock.advance(5 * MINUTE);
    const later = await login(t, email, password);
    expect(later.headers['retry-after']).toBe('600');
    expect(later.body.lockedUntil).toBe(new Date(lockedUntil).toISOString());

    // Only the 5 real attempts were checked; the locked ones are audited as such (after their answers).
    await t.deps.later.idle();
    const failed = (await auditOf(t, 'login.failed')).map((e) => JSON.parse(e.data).reason);
    expect(failed).toEqual(['wrong_password', 'wrong_password', 'wrong_password', 'wrong_password', 'wrong_password', 'locked', 'locked', 'locked']);
    const locked = await auditOf(t, 'account.locked');
    expect(locked).toHaveLength(1);
    expect(JSON.parse(locked[0]!.data)).toMatchObject({ until: lockedUntil, reason: 'password' });
  });

  it('emails the owner the unlock time and a single-use unlock link', async () => {
    const t = await app();
    const { email, password } = await registerVerified(t);
    const before = await t.mailTo(email);
    for (let i = 0; i < 5; i++) await login(t, email, WRONG);
    const lockedUntil = t.clock.now() + 15 * MINUTE;
    const mails = await lockMails(t, email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.text).toContain(mailTime(lockedUntil));
    const token = /http:\/\/localhost:3000\/unlock\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    expect(mail.text).toContain('http://localhost:3000/forgot-password');
    // Only the lock mail was added; further locked attempts send nothing more.
    await login(t, email, WRONG);
    expect(await t.mailTo(email)).toHaveLength(before.length + 1);

    // The link works once and lifts the lock.
    const client = t.client();
    expect((await client.post('/api/auth/unlock', { token })).status).toBe(200);
    expect((await client.post('/api/auth/unlock', { token })).status).toBe(400);
    expect((await login(t, email, password)).status).toBe(200);
  });

  it('locks unknown emails the same way, with the same answers, and emails nobody', async () => {
    const t = await app();
    const { email: known } = await registerVerified(t);
    const unknown = uniqueEmail('ghost');
    const knownAnswers: TestResponse[] = [];
    const unknownAnswers: TestResponse[] = [];
    for (let i = 0; i < 7; i++) {
      knownAnswers.push(await login(t, known, WRONG));
      unknownAnswers.push(await login(t, unknown, WRONG));
    }
    expect(knownAnswers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(unknownAnswers.map((r) => r.status)).toEqual(knownAnswers.map((r) => r.status));
    expect(unknownAnswers.map((r) => r.body)).toEqual(knownAnswers.map((r) => r.body));
    expect(unknownAnswers.map((r) => r.headers['retry-after'])).toEqual(knownAnswers.map((r) => r.headers['retry-after']));

    expect(await t.mailTo(unknown)).toEqual([]);
    expect(t.smtp.messages.filter((m) => m.subject === SUBJECTS.accountLocked).map((m) => m.to)).toEqual([known]);
    const locked = await auditOf(t, 'account.locked');
    expect(locked).toHaveLength(1);

    t.clock.advance(15 * MINUTE);
    expect((await login(t, unknown, WRONG)).status).toBe(401);
  });

  it('sends no sign-in code for a flow whose account got locked meanwhile', async () => {
    const t = await app({ LOGIN_IP_LIMIT: '1000' });
    const user = await enrolledUser(t);
    const browser = knownBrowser(t, user);
    const started = await browser.post('/api/auth/login', { email: user.email, password: user.password });
    expect(started.status).toBe(200);
    for (let i = 0; i < 5; i++) await login(t, user.email, WRONG);
    const before = (await t.mailTo(user.email)).length;
    const refused = await browser.post('/api/auth/login/email-code', { flow: started.body.flow });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('account_locked');
    expect((await t.mailTo(user.email)).filter((m) => /sign-in code/.test(m.subject))).toHaveLength(0);
    expect((await t.mailTo(user.email)).length).toBe(before);
  });

  it('the unlock link lifts a password lock but never a lock for wrong second-factor codes', async () => {
    const t = await app({ LOGIN_IP_LIMIT: '1000' });
    const user = await enrolledUser(t);
    const row = await t.db.store.db.selectFrom('users').select('id').where('email', '=', user.email).executeTakeFirstOrThrow();
    for (let i = 0; i < 5; i++) await login(t, user.email, WRONG);
    await t.deps.throttle.lock(factorKey(row.id, 'totp'), 15 * MINUTE);
    const mail = (await lockMails(t, user.email)).at(-1)!;
    const token = /\/unlock\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    expect((await t.client().post('/api/auth/unlock', { token })).status).toBe(200);
    // The password signs in again; the authenticator app's own lock still holds at the second step.
    const client = t.client();
    const flow = await startLogin(client, user);
    const still = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
    expect(still.status).toBe(429);
    expect(still.body.error).toBe('account_locked');
    t.clock.advance(15 * MINUTE);
    const next = await startLogin(client, user);
    expect((await client.post('/api/auth/login/verify', { flow: next, method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
  });

  it('works again after 15 minutes; the second lock lasts 30 minutes', async () => {
    const t = await app();
    const { email, password } = await registerVerified(t);
    for (let i = 0; i < 5; i++) await login(t, email, WRONG);
    t.clock.advance(15 * MINUTE - 1000);
    expect((await login(t, email, password)).status).toBe(429);
    t.clock.advance(1000);

    // The lock is over: 4 more wrong answers are plain 401s…
    for (let i = 0; i < 4; i++) expect((await login(t, email, WRONG)).status).toBe(401);
    // …and the 5th starts a second lock, twice as long.
    expect((await login(t, email, WRONG)).status).toBe(401);
    const second = await login(t, email, password);
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('1800');
    expect(second.body.lockedUntil).toBe(new Date(t.clock.now() + 30 * MINUTE).toISOString());
    t.clock.advance(15 * MINUTE);
    expect((await login(t, email, password)).status).toBe(429);
    t.clock.advance(15 * MINUTE);
    const ok = await login(t, email, password);
    expect(ok.status).toBe(200);
    expect(ok.body.next).toEqual(['enroll_2fa']);

    expect(await lockMails(t, email)).toHaveLength(2);
    expect(await auditOf(t, 'account.locked')).toHaveLength(2);
  });

  it('resets the count on success: 4 wrong, 1 right, 4 wrong is not locked', async () => {
    const t = await app();
    const { email, password } = await registerVerified(t);
    for (let i = 0; i < 4; i++) expect((await login(t, email, WRONG)).status).toBe(401);
    expect((await login(t, email, password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(t, email, WRONG)).status).toBe(401);
    expect((await login(t, email, password)).status).toBe(200);
    expect(await lockMails(t, email)).toHaveLength(0);
    expect(await auditOf(t, 'account.locked')).toHaveLength(0);

    // A success also starts the doubling over: after a lock and a success, the next lock is 15 minutes again.
    for (let i = 0; i < 5; i++) await login(t, email, WRONG);
    t.clock.advance(15 * MINUTE);
    expect((await login(t, email, password)).status).toBe(200);
    for (let i = 0; i < 5; i++) await login(t, email, WRONG);
    expect((await login(t, email, password)).headers['retry-after']).toBe('900');
  });

  it('limits sign-in attempts per IP with a sliding window (LOGIN_IP_LIMIT=5)', async () => {
    const t = await app({ LOGIN_IP_LIMIT: '5' });
    const { email, password } = await registerVerified(t);
    const ip = '198.51.100.7';
    for (let i = 0; i < 5; i++) expect((await login(t, uniqueEmail('spray'), WRONG, ip)).status).toBe(401);
    const sixth = await login(t, uniqueEmail('spray'), WRONG, ip);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toBe('too_many_requests');
    const retryAfter = Number(sixth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30 * 60);
    expect(sixth.body.retryAfter).toBe(retryAfter);
    // The right password from that IP is refused too, before any check.
    const right = await login(t, email, password, ip);
    expect(right.status).toBe(429);
    expect(right.body.error).toBe('too_many_requests');
    expect(await auditOf(t, 'login.failed')).toHaveLength(5);

    // Another IP is unaffected.
    expect((await login(t, email, password, '198.51.100.8')).status).toBe(200);
    expect((await login(t, uniqueEmail('spray'), WRONG, '198.51.100.8')).status).toBe(401);

    // Denied attempts count too; once the window has slid past the latest Retry-After, the first IP may try again.
    const wait = Number(right.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(retryAfter);
    t.clock.advance(wait * 1000);
    expect((await login(t, email, password, ip)).status).toBe(200);
  });

  it('checks no more than 5 passwords when 50 wrong attempts arrive at once', async () => {
    const t = await app({ LOGIN_IP_LIMIT: '1000' });
    const { email, password } = await registerVerified(t);
    const client = t.client();
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.post('/api/auth/login', { email, password: WRONG })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
    // Refused while five checks were in flight (not as failures), or after the lock.
    for (const r of answers.filter((a) => a.status === 429)) {
      expect(['attempt_in_progress', 'account_locked']).toContain(r.body.error);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }

    const checked = await t.db.store.db
      .selectFrom('audit_events')
      .select('seq')
      .where('type', '=', 'login.failed')
      .where('data', 'like', '%"wrong_password"%')
      .execute();
    expect(checked).toHaveLength(5);
    expect(await lockMails(t, email)).toHaveLength(1);
    expect(await auditOf(t, 'account.locked')).toHaveLength(1);

    // Locked for the full 15 minutes, right password or not.
    const after = await client.post('/api/auth/login', { email, password });
    expect(after.status).toBe(429);
    expect(after.body.error).toBe('account_locked');
    t.clock.advance(15 * MINUTE);
    expect((await client.post('/api/auth/login', { email, password })).status).toBe(200);
  });

  it('a correct password refused only because other checks are in flight is told so, never "failed attempts"; a reservation whose request died lapses', async () => {
    const t = await app({ LOGIN_IP_LIMIT: '1000' });
    const { email, password } = await registerVerified(t);
    const key = passwordKey(email);
    // Five checks reserved by a process that died before answering.
    for (let i = 0; i < PASSWORD_LOCKOUT.maxAttempts; i++) expect((await t.deps.throttle.acquire(key, PASSWORD_LOCKOUT)).ok).toBe(true);
    const busy = await t.client().post('/api/auth/login', { email, password });
    expect(busy).toMatchObject({ status: 429, body: { error: 'attempt_in_progress' } });
    expect(await auditOf(t, 'account.locked')).toHaveLength(0);
    // A minute later their places lapse; none of them counted as a failure: four wrong passwords do not lock.
    t.clock.advance(RESERVATION_LEASE_MS);
    for (let i = 0; i < PASSWORD_LOCKOUT.maxAttempts - 1; i++) expect((await login(t, email, WRONG)).status).toBe(401);
    expect((await t.client().post('/api/auth/login', { email, password })).status).toBe(200);
    expect(await auditOf(t, 'account.locked')).toHaveLength(0);
  });
});
