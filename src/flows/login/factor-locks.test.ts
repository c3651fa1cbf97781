/**
 * Second-factor guessing caps (NIST SP 800-63B rev. 4 §3.2.2), over HTTP: a count per factor that
 * only its own success clears; locks that escalate; the 100th wrong answer in a row locks the method
 * until the owner's other strong factor, a 2FA reset or support lifts it, with an alert; the same
 * caps for new-device and email-verification codes; failed step-ups in the owner's login activity;
 * a passkey sign-in the password lock does not stop.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, signInWithEmailCode, uniqueEmail, verificationFrom, wrongCode, type Enrolled } from '../../../test/accounts.ts';
import type { TestClient, TestResponse } from '../../../test/client.ts';
import { confirmationMail, otherCode, signInPending } from '../../../test/devices.ts';
import { dialects, type TestApp, testApps } from '../../../test/harness.ts';
import { failInARow, failInARowUnder } from '../../../test/locks.ts';
import { staffMember } from '../../../test/kyc.ts';
import { openReset, verifiedUser } from '../../../test/two-factor-reset.ts';
import { HARD_LOCK_UNTIL } from '../../throttle/throttle.ts';
import { startLogin } from '../../../test/login.ts';
import { mailsWithSubject } from '../../../test/mail.ts';
import { addPasskey, passwordlessSignIn, passwordThenPasskey } from '../../../test/passkeys.ts';
import { auditOf, userRow } from '../../../test/queries.ts';
import { register } from '../../../test/registration.ts';
import { SoftAuthenticator } from '../../../test/soft-authenticator.ts';
import { DAY } from '../../../test/time.ts';
import { deviceCodeKey, factorKey, REVIEWED_CODE_LOCKOUT } from '../../account/locks.ts';

const HARD_SUBJECT = 'Bastion: Authenticator app: locked until it is lifted';

const wrongStepUp = (t: TestApp, user: Enrolled, session: TestClient = user.client) => session.post('/api/auth/step-up', { method: 'totp', code: wrongCode(t, user.secret) });

function expectHard(res: TestResponse): void {
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.body.error).toBe('factor_locked');
  expect(res.headers['retry-after']).toBeUndefined();
}

/** Ten rounds of ten wrong step-up codes, a day apart: the 100th wrong code in a row; returns each round's last answer. */
async function hundredWrongStepUps(t: TestApp, user: Enrolled): Promise<TestResponse[]> {
  const lasts: TestResponse[] = [];
  for (let round = 1; round <= 10; round++) {
    for (let i = 1; i < 10; i++) expect((await wrongStepUp(t, user)).status, `round ${round}, code ${i}`).toBe(401);
    lasts.push(await wrongStepUp(t, user));
    if (round < 10) t.clock.advance(DAY);
  }
  return lasts;
}

describe.each(dialects)('second-factor guessing caps on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000', SESSION_IDLE_TIMEOUT: '30d', SESSION_ABSOLUTE_LIFETIME: '30d' });

  it("counts per factor: an emailed-code sign-in buys no more authenticator guesses; failed step-ups show in login activity", async () => {
    const t = await app();
    const user = await enrolledUser(t);
    for (let i = 0; i < 9; i++) expect((await wrongStepUp(t, user)).status).toBe(401);
    await signInWithEmailCode(t, user);
    const tenth = await wrongStepUp(t, user);
    expect(tenth.status).toBe(429);
    expect(tenth.body.error).toBe('account_locked');
    // The emailed code is a lock of its own: it still signs in.
    const byEmail = await signInWithEmailCode(t, user);
    expect((await byEmail.get('/api/me')).status).toBe(200);

    const entries = (await user.client.get('/api/me/activity?limit=50')).body.entries as { purpose: string; result: string; method: string }[];
    const stepUps = entries.filter((e) => e.purpose === 'step_up');
    expect(stepUps).toHaveLength(10);
    expect(stepUps.every((e) => e.result === 'wrong_code' && e.method === 'totp')).toBe(true);
    // The enrollment's sign-in and the two by emailed code.
    expect(entries.filter((e) => e.purpose === 'sign_in' && e.result === 'success')).toHaveLength(3);
  });

  it('the 100th wrong code in a row locks the method until it is lifted, with an alert; the other strong factor lifts it and the next lock is hard again', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const authenticator = new SoftAuthenticator();
    expect((await addPasskey(user.client, authenticator)).status).toBe(200);

    const lasts = await hundredWrongStepUps(t, user);
    expect(lasts.slice(0, 9).map((r) => `${r.status} ${r.body.error} ${r.body.retryAfter / 60}`)).toEqual(
      [15, 30, 60, 120, 240, 480, 960, 1440, 1440].map((minutes) => `429 account_locked ${minutes}`),
    );
    expectHard(lasts[9]!);
    const alerts = await mailsWithSubject(t, user.email, HARD_SUBJECT);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain('does not end by itself');
    expect(alerts[0]!.text).toMatch(/\/lock-account\?token=/);
    const hard = (await auditOf(t, 'account.locked')).map((e) => JSON.parse(e.data)).filter((d) => d.hard);
    expect(hard).toEqual([{ until: null, reason: 'code', method: 'Authenticator app', hard: true }]);

    // A year later, still locked: the right code at step-up and at sign-in.
    t.clock.advance(365 * DAY);
    const session = await signInWithEmailCode(t, user);
    expectHard(await session.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) }));
    const client = t.client();
    const flow = await startLogin(client, user);
    expectHard(await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) }));

    // The owner's passkey lifts it, keeping its escalation: ten more wrong codes lock it for good again…
    expect((await passwordThenPasskey(t.client(), user, authenticator)).status).toBe(200);
    for (let i = 1; i < 10; i++) expect((await wrongStepUp(t, user, session)).status).toBe(401);
    expectHard(await wrongStepUp(t, user, session));
    // …and once lifted again, the right code signs in (and its success starts the count over).
    const byPasskey = await passwordThenPasskey(t.client(), user, authenticator);
    expect(byPasskey.status, JSON.stringify(byPasskey.body)).toBe(200);
    const browser = t.client();
    const again = await startLogin(browser, user);
    const right = await browser.post('/api/auth/login/verify', { flow: again, method: 'totp', code: codeFor(t, user.secret) });
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    t.clock.advance(30_000);
    for (let i = 1; i < 10; i++) expect((await wrongStepUp(t, user, session)).status).toBe(401);
    expect((await wrongStepUp(t, user, session)).body).toMatchObject({ error: 'account_locked', retryAfter: 900 });
  });

  it('new-device codes: the 100th wrong one in a row locks them for good (a second factor passed does not lift it); the emailed link still confirms', async () => {
    const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
    const user = await enrolledUser(t);
    await failInARow(t, deviceCodeKey((await userRow(t, user.email)).id), 99);
    t.clock.advance(DAY);
    const client = t.client();
    const flow = await signInPending(t, user, client);
    const { code, token } = await confirmationMail(t, user.email);
    expectHard(await client.post('/api/auth/login/confirm-device', { flow, code: otherCode(code) }));
    expectHard(await client.post('/api/auth/login/confirm-device', { flow, code }));
    expect(await mailsWithSubject(t, user.email, 'Bastion: New-device confirmation code: locked until it is lifted')).toHaveLength(1);
    // The link in the email (shown, then pressed) lets the waiting browser in.
    expect((await t.client().post('/api/auth/login/confirm-device', { token })).status).toBe(200);
    const done = await client.post('/api/auth/login/confirm-device', { flow });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    // A later sign-in that passes the authenticator app does not lift the device-code lock.
    const later = t.client();
    const next = await signInPending(t, user, later);
    expectHard(await later.post('/api/auth/login/confirm-device', { flow: next, code: (await confirmationMail(t, user.email)).code }));
  });

  it('email-verification codes: counted per address, known or not alike; the 100th wrong one in a row locks codes for good; the link still verifies', async () => {
    const t = await app();
    const email = uniqueEmail('verify');
    const nobody = uniqueEmail('nobody');
    expect((await register(t.client(), email, PASSWORD)).status).toBe(202);
    const { code } = await verificationFrom(t, email);
    const c = t.client();
    const answers: Record<string, string[]> = { [email]: [], [nobody]: [] };
    for (const address of [email, nobody]) {
      for (let i = 0; i < 10; i++) {
        const res = await c.post('/api/auth/verify-email', { email: address, code: otherCode(code) });
        answers[address]!.push(`${res.status} ${res.body.error}`);
      }
    }
    expect(answers[email]).toEqual(answers[nobody]);
    expect(answers[email]!.at(-1)).toBe('429 account_locked');
    for (let round = 2; round <= 10; round++) {
      t.clock.advance(DAY);
      for (let i = 0; i < 10; i++) {
        const res = await c.post('/api/auth/verify-email', { email, code: otherCode(code) });
        if (round === 10 && i === 9) expectHard(res);
      }
    }
    t.clock.advance(DAY);
    // A fresh email: its code is refused, its link verifies.
    expect((await c.post('/api/auth/resend-verification', { email })).status).toBe(202);
    await expect.poll(async () => (await verificationFrom(t, email)).code !== code).toBe(true);
    const fresh = await verificationFrom(t, email);
    expectHard(await c.post('/api/auth/verify-email', { email, code: fresh.code }));
    expect((await c.post('/api/auth/verify-email', { token: fresh.token })).status).toBe(200);
  });

  it('a hard lock of the emailed code at sign-in does not shut the lost-2FA request, whose code counts on a lock of its own that is never hard', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const user = await verifiedUser(t, staff);
    await failInARow(t, factorKey(user.id, 'email_code'), 100);
    expect(await t.deps.throttle.lockedUntil(factorKey(user.id, 'email_code'))).toBe(HARD_LOCK_UNTIL);
    // Ten wrong recovery codes in a row, a hundred times over: each lock ends by itself.
    await failInARowUnder(t, factorKey(user.id, 'email_code:recovery'), 99, REVIEWED_CODE_LOCKOUT);
    t.clock.advance(DAY);
    const opened = await openReset(t, user);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  });

  it('a passkey signs in while the password is locked (both factors in one), also from a new device', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const authenticator = new SoftAuthenticator();
    expect((await addPasskey(user.client, authenticator)).status).toBe(200);
    for (let i = 0; i < 5; i++) await t.client().post('/api/auth/login', { email: user.email, password: 'not-the-password-at-all' });
    expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).body.error).toBe('account_locked');
    const res = await passwordlessSignIn(t.client(), authenticator);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // A new device's confirmation code is not held up by the password lock either.
    const strict = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
    const other = await enrolledUser(strict);
    const key = new SoftAuthenticator();
    expect((await addPasskey(other.client, key)).status).toBe(200);
    for (let i = 0; i < 5; i++) await strict.client().post('/api/auth/login', { email: other.email, password: 'not-the-password-at-all' });
    const browser = strict.client();
    const pending = await passwordlessSignIn(browser, key);
    expect(pending.body.next).toEqual(['confirm_device']);
    const { code } = await confirmationMail(strict, other.email);
    expect((await browser.post('/api/auth/login/confirm-device', { flow: pending.body.flow, code })).status).toBe(200);
  });
});
