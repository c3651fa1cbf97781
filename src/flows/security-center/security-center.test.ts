/**
 * The security center over HTTP: the anti-phishing code (step-up, validation, sealed at rest, shown
 * at the top of every later email, withdrawal hold, audit), login activity (every attempt, newest
 * first, cursor pagination, retention), sessions (list, revoke one, revoke the others), "lock my
 * account" (from the link in any alert, or from settings), unfreezing after the cool-down (password,
 * authenticator app and the inbox), the security-events history, and the lock link in every alert.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, signIn, uniqueEmail, type Enrolled } from '../../../test/accounts.ts';
import type { TestClient } from '../../../test/client.ts';
import { dialects, type TestApp, testApps } from '../../../test/harness.ts';
import { lastMail, mailsWithSubject } from '../../../test/mail.ts';
import { auditOf, userRow } from '../../../test/queries.ts';
import type { ReceivedMail } from '../../../test/smtp.ts';
import { pruneActivity } from '../../account/activity.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SESSION = 'bastion_session';
const NEW_PASSWORD = 'amber-lantern-orbit-47';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const GB = '81.2.69.142'; // Bracknell, GB
const LOCK_LINK = /http:\/\/localhost:3000\/lock-account\?token=([A-Za-z0-9_-]+)/g;
const HINT = 'set an anti-phishing code';

const SUBJECTS = {
  twoFactorEnabled: 'Bastion: Two-factor authentication was turned on',
  newSignIn: 'Bastion: New sign-in to your account',
  confirmDevice: 'Bastion: Confirm a sign-in from a new device',
  backupCodeUsed: 'Bastion: A backup code was used',
  backupCodesRegenerated: 'Bastion: New backup codes were created',
  antiPhishingChanged: 'Bastion: Your anti-phishing code was changed',
  antiPhishingRemoved: 'Bastion: Your anti-phishing code was removed',
  passwordChanged: 'Bastion: Your password was changed',
  accountLocked: 'Bastion: Your account was locked',
  accountUnlocked: 'Bastion: Your account was unlocked',
  frozen: 'Bastion: Your account is locked',
  unfrozen: 'Bastion: Your account is unlocked',
  resetPassword: 'Bastion: Reset your password',
  signInCode: 'Bastion: Your sign-in code',
};

const firstLine = (mail: ReceivedMail) => mail.text.split('\n')[0]!;

/** The lock-account tokens in a mail's text part. */
const lockTokens = (mail: ReceivedMail) => [...mail.text.matchAll(LOCK_LINK)].map((m) => m[1]!);

function lockToken(mail: ReceivedMail): string {
  const [token] = lockTokens(mail);
  if (!token) throw new Error(`no lock-account link in "${mail.subject}":\n${mail.text}`);
  return token;
}

/** A 6-digit code that matches none of the steps the server accepts right now (−1, 0, +1). */
function wrongCode(t: TestApp, secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => codeFor(t, secret, s)));
  for (let i = 0; ; i++) {
    const code = String(i).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** The 6-digit code on its own 4-space-indented line. */
function sixDigits(mail: ReceivedMail): string {
  const code = /^ {4}(\d{6})$/m.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in "${mail.subject}":\n${mail.text}`);
  return code;
}

/** Signs in with an emailed code: a full session without a fresh step-up (policy "off"). */
async function signInWithEmailCode(t: TestApp, user: Enrolled, client = t.client()): Promise<TestClient> {
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(login.status).toBe(200);
  expect((await client.post('/api/auth/login/email-code', { flow: login.body.flow })).status).toBe(202);
  const code = sixDigits(await lastMail(t, user.email, SUBJECTS.signInCode));
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'email_code', code });
  expect(verify.status, JSON.stringify(verify.body)).toBe(200);
  return client;
}

/** Signs in with a backup code (policy "off"). */
async function signInWithBackupCode(t: TestApp, user: Enrolled, code: string, client = t.client()): Promise<TestClient> {
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(login.status).toBe(200);
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'backup_code', code });
  expect(verify.status, JSON.stringify(verify.body)).toBe(200);
  return client;
}

/** Asks for a password reset and returns the link's token. */
async function resetToken(t: TestApp, email: string): Promise<string> {
  expect((await t.client().post('/api/auth/password/forgot', { email })).status).toBe(202);
  const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec((await lastMail(t, email, SUBJECTS.resetPassword)).text)?.[1];
  if (!token) throw new Error('no reset link');
  return token;
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

interface Entry {
  id: string;
  at: string;
  ip: string;
  device: string;
  location: string;
  method: string | null;
  result: string;
  riskSignals: string[];
}

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });


  describe('anti-phishing code', () => {
    it('needs a fresh step-up: a session from an emailed code gets 403, a TOTP sign-in may set it (for 10 minutes)', async () => {
      const t = await app();
      const user = await enrolledUser(t);

      const weak = await signInWithEmailCode(t, user);
      const put = await weak.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' });
      expect(put.status).toBe(403);
      expect(put.body.error).toBe('step_up_required');
      const del = await weak.delete('/api/me/anti-phishing-code');
      expect(del.status).toBe(403);
      expect(del.body.error).toBe('step_up_required');
      expect((await userRow(t, user.email)).anti_phishing_sealed).toBeNull();

      const strong = await signIn(t, user);
      const ok = await strong.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toEqual({ status: 'set' });
      expect((await strong.get('/api/me')).body.security.antiPhishingCodeSet).toBe(true);
      expect((await weak.get('/api/me')).body.security.antiPhishingCodeSet).toBe(true);

      // The TOTP sign-in's step-up is fresh for 10 minutes only.
      t.clock.advance(10 * MINUTE);
      const stale = await strong.put('/api/me/anti-phishing-code', { code: 'Other-Code' });
      expect(stale.status).toBe(403);
      expect(stale.body.error).toBe('step_up_required');

      expect((await t.client().put('/api/me/anti-phishing-code', { code: 'abcd' })).status).toBe(401);
    });

    it('accepts 4 to 20 letters, digits, _ or -; anything else is 400 naming the problem, and nothing changes', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = user.client; // fresh step-up from the enrollment
      const cases: [unknown, string, RegExp][] = [
        [{ code: 'abc' }, 'invalid_anti_phishing_code', /code: .*4 to 20/],
        [{ code: 'a'.repeat(21) }, 'invalid_anti_phishing_code', /code: .*4 to 20/],
        [{ code: 'has space' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: ' abcd' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: 'abcd\n' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: 'é'.repeat(5) }, 'invalid_anti_phishing_code', /code: /],
        [{ code: 'café' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: '<b>hi</b>' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: '' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: 'x'.repeat(65) }, 'invalid_request', /code/],
        [{ code: 1234 }, 'invalid_request', /code/],
        [{}, 'invalid_request', /code/],
        [{ code: 'abcd', extra: 1 }, 'invalid_request', /extra/],
      ];
      for (const [body, error, message] of cases) {
        const res = await client.put('/api/me/anti-phishing-code', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error, JSON.stringify(body)).toBe(error);
        expect(res.body.message, JSON.stringify(body)).toMatch(message);
      }
      expect((await userRow(t, user.email)).anti_phishing_sealed).toBeNull();
      expect(await t.db.store.db.selectFrom('withdrawal_holds').selectAll().execute()).toEqual([]);
      expect(await mailsWithSubject(t, user.email, SUBJECTS.antiPhishingChanged)).toHaveLength(0);

      // The limits themselves are fine.
      for (const code of ['abcd', 'A1_-'.repeat(5)]) {
        const res = await client.put('/api/me/anti-phishing-code', { code });
        expect(res.status, code).toBe(200);
      }
    });

    it('is stored sealed, the change email shows it, and every later email starts with it', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const code = 'Blue-Falcon_42';

      // Before: the slot is a hint.
      await resetToken(t, user.email);
      const before = await lastMail(t, user.email, SUBJECTS.resetPassword);
      expect(firstLine(before)).toContain(HINT);
      expect(before.html).toContain(HINT);

      expect((await user.client.put('/api/me/anti-phishing-code', { code })).status).toBe(200);
      const sealed = (await userRow(t, user.email)).anti_phishing_sealed;
      expect(sealed).toMatch(/^v1\.k1\./);
      expect(sealed).not.toContain(code);
      expect(sealed).not.toContain(Buffer.from(code).toString('base64'));

      const changed = await lastMail(t, user.email, SUBJECTS.antiPhishingChanged);
      expect(changed.text).toContain(code);
      expect(firstLine(changed)).toBe(`Anti-phishing code: ${code}`);

      // A password-reset email...
      await resetToken(t, user.email);
      const reset = await lastMail(t, user.email, SUBJECTS.resetPassword);
      expect(firstLine(reset)).toBe(`Anti-phishing code: ${code}`);
      expect(reset.html).toContain(`Anti-phishing code: ${code}`);
      expect(reset.text).not.toContain(HINT);
      expect(reset.html).not.toContain(HINT);

      // ...and a sign-in code email.
      await signInWithEmailCode(t, user);
      const signInCode = await lastMail(t, user.email, SUBJECTS.signInCode);
      expect(firstLine(signInCode)).toBe(`Anti-phishing code: ${code}`);
      expect(signInCode.html).toContain(`Anti-phishing code: ${code}`);

      // Someone else's mail does not show it.
      const other = uniqueEmail();
      expect((await t.client().post('/api/auth/register', { email: other, password: PASSWORD })).status).toBe(202);
      const theirs = (await t.mailTo(other)).at(-1)!;
      expect(firstLine(theirs)).toContain(HINT);
      expect(theirs.text).not.toContain(code);
      expect(theirs.html).not.toContain(code);

      // Changing it: the next email shows the new code, not the old one.
      t.clock.advance(MINUTE);
      expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Green-Otter-7' })).status).toBe(200);
      expect(firstLine(await lastMail(t, user.email, SUBJECTS.antiPhishingChanged))).toBe('Anti-phishing code: Green-Otter-7');
      await resetToken(t, user.email);
      const next = await lastMail(t, user.email, SUBJECTS.resetPassword);
      expect(firstLine(next)).toBe('Anti-phishing code: Green-Otter-7');
      expect(next.text).not.toContain(code);
    });

    it('holds withdrawals for 24 hours and records an audit event without the code', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const code = 'Blue-Falcon_42';
      const now = t.clock.now();
      expect((await user.client.put('/api/me/anti-phishing-code', { code })).status).toBe(200);

      const { id } = await userRow(t, user.email);
      const holds = await t.db.store.db.selectFrom('withdrawal_holds').selectAll().execute();
      expect(holds).toHaveLength(1);
      expect(holds[0]).toMatchObject({ user_id: id, reason: 'anti_phishing_changed' });
      expect(Number(holds[0]!.created_at)).toBe(now);
      expect(Number(holds[0]!.until)).toBe(now + DAY);

      const audit = await auditOf(t, 'security.anti_phishing_changed');
      expect(audit).toHaveLength(1);
      expect(audit[0]!.user_id).toBe(id);
      expect(JSON.stringify(audit[0])).not.toContain(code);
      expect(JSON.parse(String(audit[0]!.data)).withdrawalsHeldUntil).toBe(now + DAY);
    });

    it('removal brings the hint back, and is mailed, held and audited too', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' })).status).toBe(200);
      t.clock.advance(MINUTE);

      const del = await user.client.delete('/api/me/anti-phishing-code');
      expect(del.status).toBe(200);
      expect(del.body).toEqual({ status: 'removed' });
      expect((await userRow(t, user.email)).anti_phishing_sealed).toBeNull();
      expect((await user.client.get('/api/me')).body.security.antiPhishingCodeSet).toBe(false);

      const removed = await lastMail(t, user.email, SUBJECTS.antiPhishingRemoved);
      expect(firstLine(removed)).toContain(HINT);
      expect(removed.text).not.toContain('Blue-Falcon_42');
      await resetToken(t, user.email);
      const next = await lastMail(t, user.email, SUBJECTS.resetPassword);
      expect(firstLine(next)).toContain(HINT);
      expect(next.text).not.toContain('Blue-Falcon_42');
      expect(next.html).not.toContain('Blue-Falcon_42');

      expect(await auditOf(t, 'security.anti_phishing_removed')).toHaveLength(1);
      const reasons = (await t.db.store.db.selectFrom('withdrawal_holds').select(['reason', 'until']).orderBy('created_at').execute()).map((h) => h.reason);
      expect(reasons).toEqual(['anti_phishing_changed', 'anti_phishing_removed']);
    });
  });

  describe('withdrawal holds after other security changes', () => {
    it('holds withdrawals after a password change or reset; a change also ends sign-ins begun with the old password', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const { id } = await userRow(t, user.email);
      // Someone who had the old password and is half-way through signing in elsewhere.
      const elsewhere = t.client();
      const started = await elsewhere.post('/api/auth/login', { email: user.email, password: user.password });
      expect(started.status).toBe(200);

      expect((await user.client.post('/api/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD })).status).toBe(200);
      t.clock.advance(30_000);
      const finish = await elsewhere.post('/api/auth/login/verify', { flow: started.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect([finish.status, finish.body.error]).toEqual([400, 'flow_expired']);

      t.clock.advance(MINUTE);
      const token = await resetToken(t, user.email);
      const reset = await t.client().post('/api/auth/password/reset', { token, password: PASSWORD, code: codeFor(t, user.secret, 1) });
      expect(reset.status, JSON.stringify(reset.body)).toBe(200);
      const holds = await t.db.store.db.selectFrom('withdrawal_holds').selectAll().where('user_id', '=', id).orderBy('created_at').execute();
      expect(holds.map((h) => h.reason)).toEqual(['password_changed', 'password_reset']);
      expect(Number(holds[1]!.until) - Number(holds[1]!.created_at)).toBe(DAY);
    });
  });

  describe('removing a code that is not set', () => {
    it('changes nothing: no email, no withdrawal hold, no event', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const before = (await t.mailTo(user.email)).length;
      expect((await user.client.delete('/api/me/anti-phishing-code')).status).toBe(200);
      expect((await t.mailTo(user.email)).length).toBe(before);
      expect(await t.db.store.db.selectFrom('withdrawal_holds').selectAll().execute()).toHaveLength(0);
      expect(await t.db.store.db.selectFrom('audit_events').selectAll().where('type', '=', 'security.anti_phishing_removed').execute()).toHaveLength(0);
    });
  });

  describe('login activity', () => {
    it('lists every kind of attempt newest first, with device, location, result and method', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
      const user = await enrolledUser(t);
      const wrong = { email: user.email, password: `${user.password}-nope` };
      const start = t.clock.now();
      t.clock.advance(MINUTE);

      // A wrong password from this computer, then 4 more from elsewhere: the account locks...
      expect((await t.client({ ip: '127.0.0.1' }).post('/api/auth/login', wrong)).status).toBe(401);
      for (let i = 0; i < 4; i++) {
        t.clock.advance(MINUTE);
        expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      }
      // ...so even the right password is refused.
      t.clock.advance(MINUTE);
      expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(429);

      // After the lock: a wrong code, the right one from a new device (held), then the emailed code.
      t.clock.advance(15 * MINUTE);
      const client = t.client({ ip: GB });
      const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(200);
      t.clock.advance(MINUTE);
      expect((await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: wrongCode(t, user.secret) })).status).toBe(401);
      t.clock.advance(MINUTE);
      const held = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(held.body.next).toEqual(['confirm_device']);
      t.clock.advance(MINUTE);
      const code = sixDigits(await lastMail(t, user.email, SUBJECTS.confirmDevice));
      expect((await client.post('/api/auth/login/confirm-device', { flow: login.body.flow, code })).status).toBe(200);

      const res = await client.get('/api/me/activity');
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      // (Leaving out what the enrollment itself recorded.)
      const entries = (res.body.entries as Entry[]).filter((e) => Date.parse(e.at) > start);
      expect(entries.map((e) => [e.result, e.method, e.location, e.ip])).toEqual([
        ['success', 'totp', 'Bracknell, GB', GB],
        ['device_pending', 'totp', 'Bracknell, GB', GB],
        ['wrong_code', 'totp', 'Bracknell, GB', GB],
        ['locked', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'Unknown location', '203.0.113.10'],
        ['wrong_password', null, 'This computer', '127.0.0.1'],
      ]);
      for (const e of entries) {
        expect(e.device).toContain('Chrome');
        expect(e.id).toBeTruthy();
        expect(Array.isArray(e.riskSignals)).toBe(true);
      }
      const times = entries.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(new Set(times).size).toBe(times.length);
      expect(entries[0]!.at).toBe(new Date(t.clock.now()).toISOString());
      // Five wrong passwords, a lock and a wrong code in the last hour.
      expect(entries[1]!.riskSignals).toContain('recent_failures');

      // Only the owner's attempts, and only when signed in.
      expect((await t.client().get('/api/me/activity')).status).toBe(401);
      const other = await enrolledUser(t);
      const theirs = (await other.client.get('/api/me/activity')).body.entries as Entry[];
      expect(theirs.filter((e) => e.result !== 'success')).toEqual([]); // at most their own enrollment
      expect(theirs.some((e) => entries.some((mine) => mine.id === e.id))).toBe(false);
    });

    it('pages with a cursor: limit=2 walks every entry once, in the same order', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const wrong = { email: user.email, password: `${user.password}-nope` };
      // Some attempts share a millisecond, to check the order is still total.
      for (let i = 0; i < 3; i++) expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      t.clock.advance(MINUTE);
      expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      await signIn(t, user);
      t.clock.advance(MINUTE);
      for (let i = 0; i < 2; i++) expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      const reader = await signIn(t, user);

      const all = (await reader.get('/api/me/activity?limit=100')).body.entries as Entry[];
      const total = (await t.db.store.db.selectFrom('login_activity').select('id').execute()).length;
      expect(total).toBeGreaterThanOrEqual(8); // 6 wrong passwords, 2 sign-ins (and the enrollment)
      expect(all).toHaveLength(total);

      const seen: Entry[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/me/activity?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await reader.get(url);
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        expect(page.body.entries.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.entries);
        cursor = page.body.nextCursor;
        pages++;
        expect(pages).toBeLessThanOrEqual(10);
      } while (cursor);
      expect(pages).toBe(Math.ceil(total / 2));
      expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect(new Set(seen.map((e) => e.id)).size).toBe(total);

      // The default page size is 20.
      expect((await reader.get('/api/me/activity')).body.entries).toHaveLength(total);
    });

    it('answers a bad cursor or limit with 400, never 500', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const cursors = [
        'garbage',
        '!!!!',
        b64('abc:def'),
        b64('123:'),
        b64(':abc'),
        b64('1e5:abc'),
        b64('-5:abc'),
        b64('99999999999999999999:abc'),
        b64('9223372036854775808:abc'),
      ];
      for (const cursor of cursors) {
        const res = await user.client.get(`/api/me/activity?cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, cursor).toBe(400);
        expect(res.body.error, cursor).toBe('invalid_cursor');
      }
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', `cursor=${'x'.repeat(201)}`, 'other=1']) {
        const res = await user.client.get(`/api/me/activity?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error, query).toBe('invalid_request');
      }
    });

    it('pruneActivity deletes entries older than 365 days and keeps newer ones', async () => {
      const t = await app();
      const user = await registerVerified(t); // no 2FA yet: only these attempts are recorded
      const wrong = { email: user.email, password: `${user.password}-nope` };
      const count = async () => (await t.db.store.db.selectFrom('login_activity').select('id').execute()).length;

      expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      const oldAt = t.clock.now();
      t.clock.advance(200 * DAY);
      expect((await t.client().post('/api/auth/login', wrong)).status).toBe(401);
      expect(await count()).toBe(2);

      t.clock.advance(165 * DAY); // the first entry is exactly 365 days old: kept
      expect(t.clock.now() - oldAt).toBe(365 * DAY);
      expect(await pruneActivity(t.deps)).toBe(0);
      t.clock.advance(1);
      expect(await pruneActivity(t.deps)).toBe(1);
      const left = await t.db.store.db.selectFrom('login_activity').select('at').execute();
      expect(left.map((r) => Number(r.at))).toEqual([oldAt + 200 * DAY]);

      t.clock.advance(200 * DAY);
      expect(await pruneActivity(t.deps)).toBe(1);
      expect(await count()).toBe(0);
    });
  });

  describe('sessions', () => {
    it('lists the live sessions with device, location and a current flag', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      t.clock.advance(MINUTE);
      const laptop = await signIn(t, user, t.client({ ip: GB, userAgent: FIREFOX_WINDOWS }));

      const res = await laptop.get('/api/me/sessions');
      expect(res.status).toBe(200);
      const sessions = res.body.sessions as { id: string; device: string; location: string; ip: string; createdAt: string; lastActiveAt: string; current: boolean }[];
      expect(sessions).toHaveLength(2);
      const current = sessions.filter((s) => s.current);
      expect(current).toHaveLength(1);
      expect(current[0]).toMatchObject({ device: 'Firefox 128 on Windows 10', location: 'Bracknell, GB', ip: GB });
      expect(sessions.find((s) => !s.current)).toMatchObject({ device: 'Chrome 126 on Linux', location: 'Unknown location', ip: '203.0.113.10' });
      const fromFirst = (await user.client.get('/api/me/sessions')).body.sessions as typeof sessions;
      expect(fromFirst.find((s) => s.current)!.id).not.toBe(current[0]!.id);
      expect((await t.client().get('/api/me/sessions')).status).toBe(401);
    });

    it('revoking one session ends it at once; an unknown or foreign id is 404', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const laptop = await signIn(t, user);
      const sessions = (await laptop.get('/api/me/sessions')).body.sessions as { id: string; current: boolean }[];
      const target = sessions.find((s) => !s.current)!;

      const res = await laptop.delete(`/api/me/sessions/${target.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'revoked' });
      const dead = await user.client.get('/api/me');
      expect(dead.status).toBe(401);
      expect(dead.body.error).toBe('not_authenticated');
      expect((await laptop.get('/api/me')).status).toBe(200);
      expect(await auditOf(t, 'session.revoked')).toHaveLength(1);

      expect((await laptop.delete(`/api/me/sessions/${target.id}`)).status).toBe(404);
      const unknown = await laptop.delete('/api/me/sessions/no-such-session');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('not_found');

      // Another account's session: not found, and untouched.
      const other = await enrolledUser(t);
      const theirs = ((await other.client.get('/api/me/sessions')).body.sessions as { id: string }[])[0]!;
      expect((await laptop.delete(`/api/me/sessions/${theirs.id}`)).status).toBe(404);
      expect((await other.client.get('/api/me')).status).toBe(200);

      // Revoking the current session signs this browser out.
      const own = ((await laptop.get('/api/me/sessions')).body.sessions as { id: string; current: boolean }[]).find((s) => s.current)!;
      expect((await laptop.delete(`/api/me/sessions/${own.id}`)).status).toBe(200);
      expect(laptop.cookies.has(SESSION)).toBe(false);
      expect((await laptop.get('/api/me')).status).toBe(401);
    });

    it('revoke-others ends every other session and reports how many', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const b = await signIn(t, user);
      const c = await signIn(t, user, t.client({ ip: GB }));

      const res = await user.client.post('/api/me/sessions/revoke-others');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'revoked', count: 2 });
      expect((await b.get('/api/me')).status).toBe(401);
      expect((await c.get('/api/me')).status).toBe(401);
      expect((await user.client.get('/api/me')).status).toBe(200);
      expect((await user.client.get('/api/me/sessions')).body.sessions).toHaveLength(1);
      expect((await user.client.post('/api/me/sessions/revoke-others')).body).toEqual({ status: 'revoked', count: 0 });
      expect(await auditOf(t, 'session.revoked_others')).toHaveLength(2);
    });
  });

  describe('lock my account', () => {
    it('the link in an alert email freezes the account: sessions end, sign-ins and resets are refused, the link works once', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const laptop = await signInWithBackupCode(t, user, user.backupCodes[0]!);
      const token = lockToken(await lastMail(t, user.email, SUBJECTS.backupCodeUsed));
      // A sign-in half-way through (password done) when the account is locked.
      const pending = t.client();
      const halfway = await pending.post('/api/auth/login', { email: user.email, password: user.password });
      expect(halfway.status).toBe(200);

      const frozenAt = t.clock.now();
      const res = await t.client({ ip: GB }).post('/api/auth/lock-account', { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ status: 'frozen' });
      expect(Number((await userRow(t, user.email)).frozen_at)).toBe(frozenAt);

      for (const c of [user.client, laptop]) expect((await c.get('/api/me')).status).toBe(401);
      const finish = await pending.post('/api/auth/login/verify', { flow: halfway.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(finish.status).toBe(400);
      expect(finish.body.error).toBe('flow_expired');
      expect(pending.cookies.has(SESSION)).toBe(false);

      const mail = await lastMail(t, user.email, SUBJECTS.frozen);
      expect(mail.text).toContain('24 hours');

      // The right password: 403 with when it can be unlocked.
      const login = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(403);
      expect(login.body.error).toBe('account_frozen');
      expect(login.body.unlockableAfter).toBe(new Date(frozenAt + DAY).toISOString());
      // A wrong password: the usual 401, which tells nothing.
      const wrongPw = await t.client().post('/api/auth/login', { email: user.email, password: `${user.password}-nope` });
      const unknown = await t.client().post('/api/auth/login', { email: uniqueEmail(), password: user.password });
      expect(wrongPw.status).toBe(401);
      expect(wrongPw.body).toEqual(unknown.body);

      // No password reset either, and the password is unchanged.
      const reset = await t.client().post('/api/auth/password/reset', { token: await resetToken(t, user.email), password: NEW_PASSWORD, code: codeFor(t, user.secret) });
      expect(reset.status).toBe(403);
      expect(reset.body.error).toBe('account_frozen');
      expect((await t.client().post('/api/auth/login', { email: user.email, password: NEW_PASSWORD })).status).toBe(401);

      // Single use.
      const again = await t.client().post('/api/auth/lock-account', { token });
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('invalid_token');

      const audit = await auditOf(t, 'account.frozen');
      expect(audit).toHaveLength(1);
      expect(JSON.parse(String(audit[0]!.data))).toEqual({ via: 'email_link' });
      const results = (await t.db.store.db.selectFrom('login_activity').select('result').execute()).map((r) => r.result);
      expect(results).toContain('frozen');
      const hold = await t.db.store.db.selectFrom('withdrawal_holds').selectAll().where('reason', '=', 'account_frozen').executeTakeFirstOrThrow();
      expect(Number(hold.until)).toBeGreaterThanOrEqual(frozenAt + DAY);
    });

    it('refuses a foreign token, a token of another kind, an expired link and bad input (400)', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const enrolledMail = await lastMail(t, user.email, SUBJECTS.twoFactorEnabled);
      const early = lockToken(enrolledMail);
      await signIn(t, user);
      const late = lockToken(await lastMail(t, user.email, SUBJECTS.newSignIn));
      const reset = await resetToken(t, user.email);

      const c = t.client();
      for (const token of ['garbage', 'A'.repeat(43), reset]) {
        const res = await c.post('/api/auth/lock-account', { token });
        expect(res.status, token).toBe(400);
        expect(res.body.error).toBe('invalid_token');
      }
      for (const body of [{}, { token: '' }, { token: 5 }, { token: late, extra: 1 }, { token: 'x'.repeat(513) }]) {
        const res = await c.post('/api/auth/lock-account', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error).toBe('invalid_request');
      }
      expect((await userRow(t, user.email)).frozen_at).toBeNull();

      // 31 days later the links are dead.
      t.clock.advance(31 * DAY);
      for (const token of [early, late]) {
        const res = await c.post('/api/auth/lock-account', { token });
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_token');
      }
      expect((await userRow(t, user.email)).frozen_at).toBeNull();
    });

    it('a link works until just before 30 days', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const token = lockToken(await lastMail(t, user.email, SUBJECTS.twoFactorEnabled));
      t.clock.advance(30 * DAY - 31_000); // the link was made 30 s before enrolledUser returned
      expect((await t.client().post('/api/auth/lock-account', { token })).status).toBe(200);
    });

    it('POST /api/me/lock freezes from a session and clears its cookie', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const laptop = await signIn(t, user);
      expect((await t.client().post('/api/me/lock')).status).toBe(401);

      const res = await user.client.post('/api/me/lock');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'frozen' });
      const cleared = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((l) => l.startsWith(`${SESSION}=`));
      expect(cleared).toMatch(/^bastion_session=;/);
      expect(user.client.cookies.has(SESSION)).toBe(false);
      expect((await laptop.get('/api/me')).status).toBe(401);

      const login = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(403);
      expect(login.body.error).toBe('account_frozen');
      expect(await mailsWithSubject(t, user.email, SUBJECTS.frozen)).toHaveLength(1);
      expect(JSON.parse(String((await auditOf(t, 'account.frozen'))[0]!.data))).toEqual({ via: 'settings' });
    });
  });

  describe('unfreezing', () => {
    it('after 24 hours: password, then the authenticator app only, then the inbox, even for a known device with policy off', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'off' });
      const user = await enrolledUser(t);
      expect((await user.client.post('/api/me/lock')).status).toBe(200);
      const frozenAt = t.clock.now();

      // Before the cool-down.
      t.clock.advance(DAY - MINUTE);
      const early = await user.client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(early.status).toBe(403);
      expect(early.body.error).toBe('account_frozen');
      expect(early.body.unlockableAfter).toBe(new Date(frozenAt + DAY).toISOString());

      t.clock.advance(MINUTE);
      const login = await user.client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(200);
      expect(login.body.next).toEqual(['totp']);
      const flow = login.body.flow as string;

      for (const [method, code] of [
        ['email_code', '123456'],
        ['backup_code', user.backupCodes[0]!],
      ] as const) {
        const res = await user.client.post('/api/auth/login/verify', { flow, method, code });
        expect(res.status, method).toBe(403);
        expect(res.body.error).toBe('strong_factor_required');
      }

      const verify = await user.client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      t.clock.advance(30_000);
      expect(verify.status, JSON.stringify(verify.body)).toBe(200);
      expect(verify.body).toEqual({ flow, next: ['confirm_device'] });
      expect(user.client.cookies.has(SESSION)).toBe(false);
      expect((await userRow(t, user.email)).frozen_at).not.toBeNull();

      const code = sixDigits(await lastMail(t, user.email, SUBJECTS.confirmDevice));
      const done = await user.client.post('/api/auth/login/confirm-device', { flow, code });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.user.email).toBe(user.email);
      const me = await user.client.get('/api/me');
      expect(me.status).toBe(200);
      // The refused backup code was not used up.
      expect(me.body.security.twoFactor.backupCodesRemaining).toBe(10);

      expect((await userRow(t, user.email)).frozen_at).toBeNull();
      const unfrozen = await lastMail(t, user.email, SUBJECTS.unfrozen);
      expect(lockTokens(unfrozen)).toHaveLength(1);
      const audit = await auditOf(t, 'account.unfrozen');
      expect(audit).toHaveLength(1);

      // Back to normal: all methods, and this known device signs in at once (policy off).
      const normal = await signIn(t, user, t.client());
      expect((await normal.get('/api/me')).status).toBe(200);
      const again = await user.client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(again.body.next).toEqual(['totp', 'email_code', 'backup_code']);
    });

    // An account without 2FA can be frozen too (the lock link is in the "account locked" mail). After
    // the cool-down the password alone must not get any session: only support can unlock it.
    it('a frozen account without 2FA cannot get a session with the password alone after the cool-down', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
      const { email, password } = await registerVerified(t);
      for (let i = 0; i < 5; i++) expect((await t.client().post('/api/auth/login', { email, password: `${password}-nope` })).status).toBe(401);
      const token = lockToken(await lastMail(t, email, SUBJECTS.accountLocked));
      expect((await t.client().post('/api/auth/lock-account', { token })).status).toBe(200);

      t.clock.advance(DAY + MINUTE);
      const intruder = t.client({ ip: GB });
      const login = await intruder.post('/api/auth/login', { email, password });
      expect(login.status).toBe(403);
      expect(login.body.error).toBe('account_frozen');
      expect(intruder.cookies.has(SESSION), JSON.stringify(login.body)).toBe(false);
      const setup = await intruder.post('/api/me/2fa/totp/setup');
      if (setup.status === 200) await intruder.post('/api/me/2fa/totp/confirm', { code: codeFor(t, setup.body.secret) });
      expect((await intruder.get('/api/me')).status).toBe(401);
      expect((await userRow(t, email)).frozen_at).not.toBeNull();
    });
  });

  describe('unfreezing with an emailed code', () => {
    it('sends no sign-in code: only the authenticator app can unlock', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      expect((await user.client.post('/api/me/lock')).status).toBe(200);
      t.clock.advance(DAY + MINUTE);
      const c = t.client();
      const login = await c.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.body.next).toEqual(['totp']);
      const send = await c.post('/api/auth/login/email-code', { flow: login.body.flow });
      expect(send.status).toBe(403);
      expect(send.body.error).toBe('strong_factor_required');
      expect((await t.mailTo(user.email)).filter((m) => m.subject === SUBJECTS.signInCode)).toHaveLength(0);
    });
  });

  describe('security events', () => {
    it('lists the security changes newest first, never sign-ins', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      t.clock.advance(MINUTE);
      expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' })).status).toBe(200);
      t.clock.advance(MINUTE);
      expect((await t.client().post('/api/auth/login', { email: user.email, password: `${user.password}-nope` })).status).toBe(401);
      const laptop = await signIn(t, user, t.client({ ip: GB }));
      t.clock.advance(MINUTE);
      const target = ((await laptop.get('/api/me/sessions')).body.sessions as { id: string; current: boolean }[]).find((s) => s.current)!;
      expect((await user.client.delete(`/api/me/sessions/${target.id}`)).status).toBe(200);

      const res = await user.client.get('/api/me/security-events');
      expect(res.status).toBe(200);
      const events = res.body.events as { at: string; type: string; description: string; ip: string | null; device: string | null; location: string | null }[];
      expect(events.map((e) => e.type)).toEqual(['session.revoked', 'security.anti_phishing_changed', 'mfa.totp_enabled', 'email.verified', 'account.registered']);
      expect(events.some((e) => e.type.startsWith('login.'))).toBe(false);
      const times = events.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(events[0]).toMatchObject({ description: 'Session ended', ip: '203.0.113.10', device: 'Chrome 126 on Linux', location: 'Unknown location' });
      expect(events[1]!.description).toBe('Anti-phishing code set');
      expect(JSON.stringify(events)).not.toContain('Blue-Falcon_42');

      expect((await t.client().get('/api/me/security-events')).status).toBe(401);
      const other = await enrolledUser(t);
      expect(((await other.client.get('/api/me/security-events')).body.events as { type: string }[]).map((e) => e.type)).toEqual([
        'mfa.totp_enabled',
        'email.verified',
        'account.registered',
      ]);
    });
  });

  describe('guards', () => {
    it('every security-center route needs a full session: 401 without one, 403 enroll_2fa_required for a restricted one', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const restricted = t.client();
      expect((await restricted.post('/api/auth/login', { email, password })).body.next).toEqual(['enroll_2fa']);
      const routes: [string, string, unknown?][] = [
        ['PUT', '/api/me/anti-phishing-code', { code: 'abcd' }],
        ['DELETE', '/api/me/anti-phishing-code'],
        ['GET', '/api/me/activity'],
        ['GET', '/api/me/sessions'],
        ['DELETE', '/api/me/sessions/some-id'],
        ['POST', '/api/me/sessions/revoke-others'],
        ['GET', '/api/me/devices'],
        ['DELETE', '/api/me/devices/some-id'],
        ['POST', '/api/me/lock'],
        ['GET', '/api/me/security-events'],
      ];
      for (const [method, url, body] of routes) {
        const anonymous = await t.client().request(method, url, body);
        expect(anonymous.status, `${method} ${url}`).toBe(401);
        expect(anonymous.body.error).toBe('not_authenticated');
        const limited = await restricted.request(method, url, body);
        expect(limited.status, `${method} ${url}`).toBe(403);
        expect(limited.body.error, `${method} ${url}`).toBe('enroll_2fa_required');
      }
      expect((await userRow(t, email)).frozen_at).toBeNull();
    });
  });

  describe('alerts', () => {
    it('every security alert carries its own working lock-account link and the anti-phishing slot', async () => {
      const t = await app();
      const user = await enrolledUser(t); // 2FA enabled
      await signIn(t, user); // new sign-in
      await signInWithBackupCode(t, user, user.backupCodes[0]!); // backup code used (and a new sign-in)
      expect((await user.client.post('/api/me/2fa/backup-codes')).status).toBe(200); // regenerated
      expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' })).status).toBe(200);
      const changed = await user.client.post('/api/me/password', { currentPassword: user.password, newPassword: NEW_PASSWORD });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200); // password changed
      for (let i = 0; i < 5; i++) {
        expect((await t.client().post('/api/auth/login', { email: user.email, password: `${NEW_PASSWORD}-nope` })).status).toBe(401);
      }
      const locked = await lastMail(t, user.email, SUBJECTS.accountLocked); // locked
      const unlock = /unlock\?token=([A-Za-z0-9_-]+)/.exec(locked.text)?.[1];
      expect((await t.client().post('/api/auth/unlock', { token: unlock })).status).toBe(200); // unlocked
      t.clock.advance(30_000);
      const reset = await t.client().post('/api/auth/password/reset', { token: await resetToken(t, user.email), password: PASSWORD, code: codeFor(t, user.secret) });
      expect(reset.status, JSON.stringify(reset.body)).toBe(200); // password reset

      const alertSubjects = [
        SUBJECTS.twoFactorEnabled,
        SUBJECTS.newSignIn,
        SUBJECTS.backupCodeUsed,
        SUBJECTS.backupCodesRegenerated,
        SUBJECTS.antiPhishingChanged,
        SUBJECTS.passwordChanged,
        SUBJECTS.accountLocked,
        SUBJECTS.accountUnlocked,
      ];
      const mails = await t.mailTo(user.email);
      const alerts = mails.filter((m) => alertSubjects.includes(m.subject));
      for (const subject of alertSubjects) expect(alerts.some((m) => m.subject === subject), subject).toBe(true);
      expect(alerts.filter((m) => m.subject === SUBJECTS.passwordChanged)).toHaveLength(2); // change and reset

      const tokens: string[] = [];
      for (const mail of alerts) {
        const found = lockTokens(mail);
        expect(found, mail.subject).toHaveLength(1);
        expect(mail.html, mail.subject).toContain(`/lock-account?token=${found[0]}`);
        expect(firstLine(mail), mail.subject).toMatch(/^(Anti-phishing code: Blue-Falcon_42|Tip: .*set an anti-phishing code)/);
        tokens.push(found[0]!);
      }
      expect(new Set(tokens).size).toBe(tokens.length);
      // Mails that are not alerts have no lock link.
      for (const mail of mails.filter((m) => [SUBJECTS.resetPassword, 'Bastion: Verify your email address'].includes(m.subject))) {
        expect(lockTokens(mail), mail.subject).toHaveLength(0);
      }

      // Every link is live (the first freezes the account; the rest find it frozen), and single-use.
      for (const token of tokens) expect((await t.client().post('/api/auth/lock-account', { token })).status).toBe(200);
      expect((await userRow(t, user.email)).frozen_at).not.toBeNull();
      expect((await t.client().post('/api/auth/lock-account', { token: tokens[0] })).status).toBe(400);
    });

    it('"this wasn\'t me": the lock link in a new-device confirmation stops the pending sign-in', async () => {
      const t = await app({ NEW_DEVICE_CONFIRMATION: 'always' });
      const user = await enrolledUser(t);
      const attacker = t.client({ ip: GB });
      const login = await attacker.post('/api/auth/login', { email: user.email, password: user.password });
      const held = await attacker.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(held.body.next).toEqual(['confirm_device']);
      const mail = await lastMail(t, user.email, SUBJECTS.confirmDevice);
      const code = sixDigits(mail);
      const link = /confirm-device\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;

      expect((await t.client().post('/api/auth/lock-account', { token: lockToken(mail) })).status).toBe(200);
      const res = await attacker.post('/api/auth/login/confirm-device', { flow: login.body.flow, code });
      expect(res.status).toBe(400);
      expect(attacker.cookies.has(SESSION)).toBe(false);
      expect((await attacker.post('/api/auth/login/confirm-device', { token: link })).status).toBe(400);
      expect((await user.client.get('/api/me')).status).toBe(401);
    });
  });
});
