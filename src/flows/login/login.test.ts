/**
 * Sign-in, end to end over HTTP: email and password, then a second factor (TOTP, an emailed code or
 * a backup code), or enrollment for an account without one. Flows expire, are bound to the browser
 * that started them and die after 5 wrong codes; 10 wrong codes across flows lock the account; a
 * TOTP code is never accepted twice; a wrong password and an unknown email look the same.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, signIn, uniqueEmail, type Enrolled } from '../../../test/accounts.ts';
import type { TestClient } from '../../../test/client.ts';
import { dialects, type TestApp, testApps } from '../../../test/harness.ts';

const MINUTE = 60_000;
const SESSION = 'bastion_session';
const FLOW = 'bastion_flow';

/** A 6-digit code that matches none of the steps the server accepts right now (−1, 0, +1). */
function wrongCode(t: TestApp, secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => codeFor(t, secret, s)));
  for (let i = 0; ; i++) {
    const code = String(i).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** Password step on `client`; returns the flow id. */
async function startLogin(client: TestClient, user: { email: string; password: string }): Promise<string> {
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(typeof res.body.flow).toBe('string');
  return res.body.flow;
}

/** The 6-digit code in the latest sign-in code mail (on a line of its own, indented by 4 spaces). */
async function emailCode(t: TestApp, email: string): Promise<string> {
  const mail = await t.latestMail(email);
  expect(mail.subject).toBe('Bastion: Your sign-in code');
  const code = /^ {4}(\d{6})$/m.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in the sign-in mail:\n${mail.text}`);
  return code;
}

async function auditEvents(t: TestApp, type: string) {
  return t.db.store.db.selectFrom('audit_events').selectAll().where('type', '=', type).orderBy('seq').execute();
}

describe.each(dialects)('sign-in on %s', (dialect) => {
  const app = testApps(dialect);

  describe('next steps', () => {
    it('offers totp, email_code and backup_code to an enrolled user, and a flow cookie', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect(res.status).toBe(200);
      expect(res.body.next).toEqual(['totp', 'email_code', 'backup_code']);
      expect(res.body.flow).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(client.cookies.get(FLOW)).toBeTruthy();
      expect(client.cookies.get(FLOW)).not.toBe(res.body.flow);
      // No session before the second factor.
      expect(client.cookies.has(SESSION)).toBe(false);
      expect((await client.get('/api/me')).status).toBe(401);
    });

    it('drops backup_code from next once all 10 backup codes are used', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      expect(user.backupCodes).toHaveLength(10);
      for (const code of user.backupCodes) {
        const client = t.client();
        const flow = await startLogin(client, user);
        const res = await client.post('/api/auth/login/verify', { flow, method: 'backup_code', code });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      const res = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(res.status).toBe(200);
      expect(res.body.next).toEqual(['totp', 'email_code']);
    });

    it('gives a verified user without 2FA next ["enroll_2fa"] and a restricted session that can only enroll', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      const login = await client.post('/api/auth/login', { email, password });
      expect(login.status).toBe(200);
      expect(login.body.next).toEqual(['enroll_2fa']);
      const restrictedToken = client.cookies.get(SESSION);
      expect(restrictedToken).toBeTruthy();
      const restrictedRow = await t.db.store.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
      expect(restrictedRow).toMatchObject({ restricted: 1, step_up_at: null });

      const me = await client.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.session.restricted).toBe(true);
      expect(me.body.session.stepUpFresh).toBe(false);
      expect(me.body.security.twoFactor).toEqual({ enabled: false, methods: [], backupCodesRemaining: 0 });

      const codes = await client.post('/api/me/2fa/backup-codes');
      expect(codes.status).toBe(403);
      expect(codes.body.error).toBe('enroll_2fa_required');
      const stepUp = await client.post('/api/auth/step-up', { method: 'totp', code: '123456' });
      expect(stepUp.status).toBe(403);
      expect(stepUp.body.error).toBe('enroll_2fa_required');

      // The enroll flow cannot be finished as a sign-in.
      const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'email_code', code: '123456' });
      expect(verify.status).toBe(400);
      expect(verify.body.error).toBe('flow_expired');

      const setup = await client.post('/api/me/2fa/totp/setup');
      expect(setup.status).toBe(200);
      const confirm = await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, setup.body.secret) });
      expect(confirm.status).toBe(200);
      expect(confirm.body.status).toBe('enabled');
      expect(confirm.body.backupCodes).toHaveLength(10);

      // Privilege changed: a new token; the old one is dead.
      const fullToken = client.cookies.get(SESSION);
      expect(fullToken).toBeTruthy();
      expect(fullToken).not.toBe(restrictedToken);
      const stale = t.client();
      stale.cookies.set(SESSION, restrictedToken!);
      const staleMe = await stale.get('/api/me');
      expect(staleMe.status).toBe(401);
      expect(staleMe.body.error).toBe('not_authenticated');

      const after = await client.get('/api/me');
      expect(after.status).toBe(200);
      expect(after.body.session).toMatchObject({ restricted: false, authMethod: 'password+totp', stepUpFresh: true });
      expect(after.body.security.twoFactor).toEqual({ enabled: true, methods: ['totp', 'email_code', 'backup_code'], backupCodesRemaining: 10 });
      expect((await client.post('/api/me/2fa/backup-codes')).status).toBe(200);
      // The same session (id), upgraded; and a restricted session may sign out.
      expect(after.body.session.id).toBe(restrictedRow.id);
      const other = t.client();
      t.clock.advance(30_000);
      const again = await other.post('/api/auth/login', { email, password });
      expect(again.body.next).toEqual(['totp', 'email_code', 'backup_code']);
      expect(other.cookies.has(SESSION)).toBe(false);
    });

    it('lets a restricted session sign out', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      await client.post('/api/auth/login', { email, password });
      const token = client.cookies.get(SESSION)!;
      expect((await client.post('/api/auth/logout')).status).toBe(200);
      const stale = t.client();
      stale.cookies.set(SESSION, token);
      expect((await stale.get('/api/me')).status).toBe(401);
      expect((await stale.post('/api/me/2fa/totp/setup')).status).toBe(401);
    });
  });

  describe('second factor', () => {
    it('signs in with TOTP: a session cookie, the flow cookie cleared, a strong session', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      const res = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ email: user.email, emailVerified: true });
      expect(Object.keys(res.body.user).sort()).toEqual(['createdAt', 'email', 'emailVerified', 'id']);
      expect(client.cookies.get(SESSION)).toBeTruthy();
      expect(client.cookies.has(FLOW)).toBe(false);
      const me = await client.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(res.body.user.id);
      expect(me.body.session).toMatchObject({ restricted: false, authMethod: 'password+totp', stepUpFresh: true });
      const succeeded = await auditEvents(t, 'login.succeeded');
      expect(JSON.parse(succeeded.at(-1)!.data)).toMatchObject({ method: 'totp' });
      // The flow is over: it cannot be used again.
      const again = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret, 1) });
      expect(again.status).toBe(400);
      expect(again.body.error).toBe('flow_expired');
    });

    it('signs in with an emailed code (not a strong session)', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      const sent = await client.post('/api/auth/login/email-code', { flow });
      expect(sent.status).toBe(202);
      expect(sent.body).toEqual({ status: 'sent' });
      const code = await emailCode(t, user.email);
      const res = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const me = await client.get('/api/me');
      expect(me.body.session).toMatchObject({ restricted: false, authMethod: 'password+email_code', stepUpFresh: false });
      expect(JSON.parse((await auditEvents(t, 'login.succeeded')).at(-1)!.data)).toMatchObject({ method: 'email_code' });
      expect(await auditEvents(t, 'mfa.email_code_sent')).toHaveLength(1);
    });

    it('signs in with a backup code once: the owner is told, 9 remain, and the same code fails next time', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const backup = user.backupCodes[0]!;
      const client = t.client();
      const flow = await startLogin(client, user);
      const res = await client.post('/api/auth/login/verify', { flow, method: 'backup_code', code: backup.toUpperCase() });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const mail = (await t.mailTo(user.email)).find((m) => m.subject === 'Bastion: A backup code was used');
      expect(mail).toBeDefined();
      expect(mail?.text).toContain('9 remain');
      const me = await client.get('/api/me');
      expect(me.body.security.twoFactor.backupCodesRemaining).toBe(9);
      expect(me.body.session).toMatchObject({ authMethod: 'password+backup_code', stepUpFresh: false });

      const other = t.client();
      const flow2 = await startLogin(other, user);
      const reuse = await other.post('/api/auth/login/verify', { flow: flow2, method: 'backup_code', code: backup });
      expect(reuse.status).toBe(401);
      expect(reuse.body.error).toBe('invalid_code');
      expect(other.cookies.has(SESSION)).toBe(false);
      // A backup code is not a TOTP code, nor the other way round.
      const asTotp = await other.post('/api/auth/login/verify', { flow: flow2, method: 'totp', code: user.backupCodes[1]! });
      expect(asTotp.status).toBe(401);
      const totpAsBackup = await other.post('/api/auth/login/verify', { flow: flow2, method: 'backup_code', code: codeFor(t, user.secret) });
      expect(totpAsBackup.status).toBe(401);
      expect((await t.mailTo(user.email)).filter((m) => m.subject === 'Bastion: A backup code was used')).toHaveLength(1);
    });
  });

  describe('emailed codes', () => {
    it('expire after 10 minutes', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      expect((await client.post('/api/auth/login/email-code', { flow })).status).toBe(202);
      const code = await emailCode(t, user.email);
      const row = await t.db.store.db.selectFrom('login_flows').selectAll().executeTakeFirstOrThrow();
      expect(row.email_code_expires_at).toBe(t.clock.now() + 10 * MINUTE);
      // Keep the flow alive beyond its own 10 minutes, so that only the code's expiry is in play.
      await t.db.store.db.updateTable('login_flows').set({ expires_at: t.clock.now() + 60 * MINUTE }).execute();
      t.clock.advance(10 * MINUTE);
      const late = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code });
      expect(late.status).toBe(401);
      expect(late.body.error).toBe('invalid_code');
      // A new code in the same flow works.
      expect((await client.post('/api/auth/login/email-code', { flow })).status).toBe(202);
      const fresh = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code: await emailCode(t, user.email) });
      expect(fresh.status).toBe(200);
    });

    it('work until just before 10 minutes, and the whole flow ends at 10 minutes anyway', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      await client.post('/api/auth/login/email-code', { flow });
      const code = await emailCode(t, user.email);
      t.clock.advance(10 * MINUTE - 1000);
      expect((await client.post('/api/auth/login/verify', { flow, method: 'email_code', code })).status).toBe(200);

      const late = t.client();
      const flow2 = await startLogin(late, user);
      await late.post('/api/auth/login/email-code', { flow: flow2 });
      const code2 = await emailCode(t, user.email);
      t.clock.advance(10 * MINUTE);
      const res = await late.post('/api/auth/login/verify', { flow: flow2, method: 'email_code', code: code2 });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('flow_expired');
    });

    it('are single-use and bound to their flow', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const a = t.client();
      const flowA = await startLogin(a, user);
      await a.post('/api/auth/login/email-code', { flow: flowA });
      const code = await emailCode(t, user.email);

      // Another flow (another browser) cannot use flow A's code.
      const b = t.client();
      const flowB = await startLogin(b, user);
      const elsewhere = await b.post('/api/auth/login/verify', { flow: flowB, method: 'email_code', code });
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.body.error).toBe('invalid_code');

      expect((await a.post('/api/auth/login/verify', { flow: flowA, method: 'email_code', code })).status).toBe(200);
      // Used: not again, neither in its own (ended) flow nor in another.
      const replay = await a.post('/api/auth/login/verify', { flow: flowA, method: 'email_code', code });
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('flow_expired');
      const replayB = await b.post('/api/auth/login/verify', { flow: flowB, method: 'email_code', code });
      expect(replayB.status).toBe(401);
      expect(await t.db.store.db.selectFrom('sessions').select('id').where('auth_method', '=', 'password+email_code').execute()).toHaveLength(1);
    });

    it('a new send replaces the old code', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      await client.post('/api/auth/login/email-code', { flow });
      const first = await emailCode(t, user.email);
      await client.post('/api/auth/login/email-code', { flow });
      const second = await emailCode(t, user.email);
      expect(second).not.toBe(first);
      const old = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code: first });
      expect(old.status).toBe(401);
      expect(old.body.error).toBe('invalid_code');
      expect((await client.post('/api/auth/login/verify', { flow, method: 'email_code', code: second })).status).toBe(200);
    });

    it('can be sent 3 times in 10 minutes; the 4th is 429', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      for (let i = 0; i < 3; i++) expect((await client.post('/api/auth/login/email-code', { flow })).status).toBe(202);
      t.clock.advance(2 * MINUTE);
      const fourth = await client.post('/api/auth/login/email-code', { flow });
      expect(fourth.status).toBe(429);
      expect(fourth.body.error).toBe('too_many_requests');
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      expect(fourth.body.retryAfter).toBe(Number(fourth.headers['retry-after']));
      // The limit is per user, not per flow.
      const other = t.client();
      const flow2 = await startLogin(other, user);
      expect((await other.post('/api/auth/login/email-code', { flow: flow2 })).status).toBe(429);
      expect((await t.mailTo(user.email)).filter((m) => m.subject === 'Bastion: Your sign-in code')).toHaveLength(3);
    });
  });

  describe('flows', () => {
    it('expire after 10 minutes', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      t.clock.advance(10 * MINUTE);
      const verify = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(verify.status).toBe(400);
      expect(verify.body.error).toBe('flow_expired');
      const send = await client.post('/api/auth/login/email-code', { flow });
      expect(send.status).toBe(400);
      expect(send.body.error).toBe('flow_expired');
      expect(client.cookies.has(SESSION)).toBe(false);
    });

    it('are bound to the browser that started them', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const a = t.client();
      const flowA = await startLogin(a, user);
      const code = codeFor(t, user.secret);

      // Another browser with a flow cookie of its own.
      const b = t.client();
      await startLogin(b, user);
      const stolen = await b.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code });
      expect(stolen.status).toBe(400);
      expect(stolen.body.error).toBe('flow_expired');
      expect(b.cookies.has(SESSION)).toBe(false);
      expect((await b.post('/api/auth/login/email-code', { flow: flowA })).status).toBe(400);

      // A client with no flow cookie at all.
      const c = t.client();
      const bare = await c.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code });
      expect(bare.status).toBe(400);
      expect(bare.body.error).toBe('flow_expired');
      const send = await c.post('/api/auth/login/email-code', { flow: flowA });
      expect(send.status).toBe(400);
      expect(send.body.error).toBe('flow_expired');

      // None of that harmed the real browser's flow, nor consumed the code.
      const ok = await a.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    });

    it('die after 5 wrong codes: the 6th request, even with the right code, is flow_expired', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      for (let i = 0; i < 5; i++) {
        const res = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: wrongCode(t, user.secret) });
        expect(res.status).toBe(401);
        expect(res.body.error).toBe('invalid_code');
      }
      const right = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(right.status).toBe(400);
      expect(right.body.error).toBe('flow_expired');
      expect(client.cookies.has(SESSION)).toBe(false);
      expect(await auditEvents(t, 'mfa.failed')).toHaveLength(5);
      // A new flow still works (5 wrong codes do not lock the account).
      await signIn(t, user);
    });

    it('checks no more than 5 codes in one flow when wrong codes arrive at once', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      const valid = new Set([-1, 0, 1].map((s) => codeFor(t, user.secret, s)));
      const codes = Array.from({ length: 12 }, (_, i) => String(100_000 + i)).filter((c) => !valid.has(c)).slice(0, 8);
      const answers = await Promise.all(codes.map((code) => client.post('/api/auth/login/verify', { flow, method: 'totp', code })));
      const outcomes = answers.map((r) => `${r.status} ${r.body.error}`).sort();
      expect(outcomes).toEqual([...Array(3).fill('400 flow_expired'), ...Array(5).fill('401 invalid_code')]);
      expect(await auditEvents(t, 'mfa.failed')).toHaveLength(5);
    });

    it('10 wrong codes across flows lock the account for 15 minutes and email the owner', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const statuses: number[] = [];
      const client = t.client();
      for (const count of [4, 4]) {
        const flow = await startLogin(client, user);
        for (let i = 0; i < count; i++) {
          statuses.push((await client.post('/api/auth/login/verify', { flow, method: 'totp', code: wrongCode(t, user.secret) })).status);
        }
      }
      expect(statuses).toEqual(Array(8).fill(401));
      const flow = await startLogin(client, user);
      const ninth = await client.post('/api/auth/login/verify', { flow, method: 'email_code', code: '000000' });
      expect(ninth.status).toBe(401);
      expect(await t.mailTo(user.email).then((m) => m.filter((x) => x.subject === 'Bastion: Your account was locked'))).toHaveLength(0);
      const tenth = await client.post('/api/auth/login/verify', { flow, method: 'backup_code', code: 'aaaaa-aaaaa' });
      expect([401, 429]).toContain(tenth.status);

      // Locked: even the right code in a live flow, and the password step.
      const right = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(right.status).toBe(429);
      expect(right.body.error).toBe('account_locked');
      const lockedUntil = t.clock.now() + 15 * MINUTE;
      expect(right.body.lockedUntil).toBe(new Date(lockedUntil).toISOString());
      expect(right.headers['retry-after']).toBe('900');

      const lockMails = (await t.mailTo(user.email)).filter((m) => m.subject === 'Bastion: Your account was locked');
      expect(lockMails).toHaveLength(1);
      // A lock for wrong codes has no unlock link: it must not hand out more guesses.
      expect(lockMails[0]!.text).not.toMatch(/\/unlock\?token=/);
      expect(lockMails[0]!.text).toContain('cannot be lifted early');
      expect(await auditEvents(t, 'account.locked')).toHaveLength(1);

      const password = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
      expect(password.status).toBe(429);
      expect(password.body.error).toBe('account_locked');
      expect(password.body.lockedUntil).toBe(new Date(lockedUntil).toISOString());

      t.clock.advance(14 * MINUTE);
      expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(429);
      t.clock.advance(MINUTE);
      const fresh = await signIn(t, user);
      expect((await fresh.get('/api/me')).status).toBe(200);
    });
  });

  describe('TOTP replay', () => {
    it('never accepts a code twice, even in the same 30 s step in another flow', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const code = codeFor(t, user.secret);
      const a = t.client();
      const flowA = await startLogin(a, user);
      expect((await a.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code })).status).toBe(200);
      const b = t.client();
      const flowB = await startLogin(b, user);
      const replay = await b.post('/api/auth/login/verify', { flow: flowB, method: 'totp', code });
      expect(replay.status).toBe(401);
      expect(replay.body.error).toBe('invalid_code');
      expect(b.cookies.has(SESSION)).toBe(false);
    });

    it('does not accept the code that confirmed the enrollment', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const enroller = t.client();
      await enroller.post('/api/auth/login', { email, password });
      const setup = await enroller.post('/api/me/2fa/totp/setup');
      const code = codeFor(t, setup.body.secret);
      expect((await enroller.post('/api/me/2fa/totp/confirm', { code })).status).toBe(200);
      const client = t.client();
      const flow = await startLogin(client, { email, password });
      const res = await client.post('/api/auth/login/verify', { flow, method: 'totp', code });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_code');
    });

    it('accepts one code once when it races in parallel flows; a backup code too', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const clients = Array.from({ length: 4 }, () => t.client());
      const flows = await Promise.all(clients.map((c) => startLogin(c, user)));
      const code = codeFor(t, user.secret);
      const totp = await Promise.all(clients.map((c, i) => c.post('/api/auth/login/verify', { flow: flows[i], method: 'totp', code })));
      expect(totp.map((r) => r.status).sort()).toEqual([200, 401, 401, 401]);

      const others = clients.filter((_, i) => totp[i]!.status !== 200);
      const otherFlows = flows.filter((_, i) => totp[i]!.status !== 200);
      const backup = user.backupCodes[0]!;
      const used = await Promise.all(others.map((c, i) => c.post('/api/auth/login/verify', { flow: otherFlows[i], method: 'backup_code', code: backup })));
      expect(used.map((r) => r.status).sort()).toEqual([200, 401, 401]);
      expect((await t.mailTo(user.email)).filter((m) => m.subject === 'Bastion: A backup code was used')).toHaveLength(1);
      expect(await t.db.store.db.selectFrom('sessions').select('id').where('revoked_at', 'is', null).execute()).toHaveLength(3);
    });

    it('rejects a code from an older step once a newer one was used', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const older = codeFor(t, user.secret, 0);
      const newer = codeFor(t, user.secret, 1); // one step of clock drift is allowed
      const a = t.client();
      const flowA = await startLogin(a, user);
      expect((await a.post('/api/auth/login/verify', { flow: flowA, method: 'totp', code: newer })).status).toBe(200);
      const b = t.client();
      const flowB = await startLogin(b, user);
      const res = await b.post('/api/auth/login/verify', { flow: flowB, method: 'totp', code: older });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_code');
      // Two steps later a new code works again.
      t.clock.advance(60_000);
      expect((await b.post('/api/auth/login/verify', { flow: flowB, method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    });
  });

  describe('password step', () => {
    it('answers a wrong password and an unknown email identically, and audits the difference', async () => {
      const t = await app();
      const { email } = await registerVerified(t);
      const unknown = uniqueEmail('nobody');
      const client = t.client();
      const wrong = await client.post('/api/auth/login', { email, password: 'not-the-right-password-1' });
      const missing = await client.post('/api/auth/login', { email: unknown, password: 'not-the-right-password-1' });
      expect(wrong.status).toBe(401);
      expect(missing.status).toBe(wrong.status);
      expect(wrong.body).toEqual({ error: 'invalid_credentials', message: 'The email or password is not right.' });
      expect(missing.body).toEqual(wrong.body);
      expect(missing.headers['set-cookie']).toEqual(wrong.headers['set-cookie']);
      expect(client.cookies.size).toBe(0);
      const failed = await auditEvents(t, 'login.failed');
      expect(failed.map((e) => JSON.parse(e.data).reason)).toEqual(['wrong_password', 'unknown_email']);
      expect(failed[0]!.user_id).not.toBeNull();
      expect(failed[1]!.user_id).toBeNull();
      // No password or email-address secret ends up in the audit data.
      expect(JSON.stringify(failed)).not.toContain('not-the-right-password-1');
    });

    it('normalises the email (case and spaces)', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const res = await t.client().post('/api/auth/login', { email: `  ${email.toUpperCase()} `, password });
      expect(res.status).toBe(200);
      expect(res.body.next).toEqual(['enroll_2fa']);
    });

    it('refuses an unverified account with 403 and a way to resend', async () => {
      const t = await app();
      const email = uniqueEmail('unverified');
      const client = t.client();
      expect((await client.post('/api/auth/register', { email, password: PASSWORD })).status).toBe(202);
      const res = await client.post('/api/auth/login', { email, password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('email_not_verified');
      expect(res.body.resend).toMatchObject({ endpoint: '/api/auth/resend-verification', body: { email } });
      expect(client.cookies.has(SESSION)).toBe(false);
      expect(client.cookies.has(FLOW)).toBe(false);
      // With a wrong password it is the usual 401: the 403 is only shown to the password's owner.
      const wrong = await client.post('/api/auth/login', { email, password: 'wrong-password-entirely' });
      expect(wrong.status).toBe(401);
    });
  });

  describe('bad input', () => {
    it('answers 400 naming the field, never 500', async () => {
      const t = await app();
      const user: Enrolled = await enrolledUser(t);
      const client = t.client();
      const flow = await startLogin(client, user);
      const email = user.email;
      const cases: [string, unknown, RegExp][] = [
        ['/api/auth/login', {}, /^email: is required/],
        ['/api/auth/login', { email }, /^password: is required/],
        ['/api/auth/login', { password: PASSWORD }, /^email: is required/],
        ['/api/auth/login', { email: 42, password: PASSWORD }, /^email: /],
        ['/api/auth/login', { email, password: ['x'] }, /^password: /],
        ['/api/auth/login', { email, password: PASSWORD, remember: true }, /Unknown field: remember/],
        ['/api/auth/login', { email: '', password: PASSWORD }, /^email: /],
        ['/api/auth/login', { email, password: '' }, /^password: is required/],
        ['/api/auth/login', { email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }, /^email: must be at most 254/],
        ['/api/auth/login', { email, password: 'x'.repeat(5000) }, /^password: is far too long/],
        ['/api/auth/login', { email: 'not-an-email', password: PASSWORD }, /^email: must be a valid email/],
        ['/api/auth/login', [email, PASSWORD], /body|expected object/i],
        ['/api/auth/login/email-code', {}, /^flow: is required/],
        ['/api/auth/login/email-code', { flow: 7 }, /^flow: /],
        ['/api/auth/login/email-code', { flow: '' }, /^flow: is required/],
        ['/api/auth/login/email-code', { flow: 'x'.repeat(600) }, /^flow: /],
        ['/api/auth/login/email-code', { flow, extra: 1 }, /Unknown field: extra/],
        ['/api/auth/login/verify', { method: 'totp', code: '123456' }, /^flow: is required/],
        ['/api/auth/login/verify', { flow, code: '123456' }, /^method: /],
        ['/api/auth/login/verify', { flow, method: 'totp' }, /^code: is required/],
        ['/api/auth/login/verify', { flow, method: 'sms', code: '123456' }, /^method: /],
        ['/api/auth/login/verify', { flow, method: 'TOTP', code: '123456' }, /^method: /],
        ['/api/auth/login/verify', { flow, method: 'totp', code: 123456 }, /^code: /],
        ['/api/auth/login/verify', { flow, method: 'totp', code: '' }, /^code: is required/],
        ['/api/auth/login/verify', { flow, method: 'totp', code: '   ' }, /^code: is required/],
        ['/api/auth/login/verify', { flow, method: 'totp', code: '1'.repeat(100) }, /^code: /],
        ['/api/auth/login/verify', { flow: '', method: 'totp', code: '123456' }, /^flow: is required/],
        ['/api/auth/login/verify', { flow: null, method: 'totp', code: '123456' }, /^flow: /],
        ['/api/auth/login/verify', { flow, method: 'totp', code: '123456', userId: 'x' }, /Unknown field: userId/],
      ];
      for (const [url, body, message] of cases) {
        const res = await client.post(url, body);
        const label = `${url} ${JSON.stringify(body).slice(0, 80)}`;
        expect(res.status, label).toBe(400);
        expect(res.body.error, label).toBe('invalid_request');
        expect(res.body.message, label).toMatch(message);
      }
      const malformed = await client.post('/api/auth/login', '{"email": "a@example.com",');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toBe('invalid_json');
      const empty = await client.post('/api/auth/login/verify', '');
      expect(empty.status).toBe(400);

      // None of that counted as a wrong code or a wrong password.
      expect(await auditEvents(t, 'mfa.failed')).toHaveLength(0);
      expect(await auditEvents(t, 'login.failed')).toHaveLength(0);
      expect((await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    });

    it('answers a garbage or unknown flow id with 400 flow_expired', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      await startLogin(client, user); // the client has a real flow cookie
      for (const flow of ['garbage', 'x'.repeat(512), '../../etc/passwd', "' or 1=1 --", '\u0000\u00ff☃']) {
        const verify = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
        expect(verify.status, flow).toBe(400);
        expect(verify.body.error, flow).toBe('flow_expired');
        const send = await client.post('/api/auth/login/email-code', { flow });
        expect(send.status, flow).toBe(400);
        expect(send.body.error, flow).toBe('flow_expired');
      }
    });
  });
});
