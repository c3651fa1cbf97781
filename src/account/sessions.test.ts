/**
 * Sessions over HTTP: the cookie's attributes (and its __Host- name on HTTPS), only a hash stored,
 * idle and absolute expiry, logout, a new token at every sign-in and privilege change, the CSRF
 * rule, step-up for sensitive actions, and how the authenticator secret is enrolled and kept.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, registerVerified, signIn, type Enrolled } from '../../test/accounts.ts';
import type { TestClient, TestResponse } from '../../test/client.ts';
import { createTestApp, dialects, type TestApp } from '../../test/harness.ts';
import { decodeBase32 } from '../factors/totp/otp.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SESSION = 'bastion_session';
const HTTPS_ORIGIN = 'https://localhost:3000';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The raw Set-Cookie line for `name` in a response. */
function setCookieLine(res: TestResponse, name: string): string {
  const header = res.headers['set-cookie'];
  const lines = Array.isArray(header) ? header : header ? [String(header)] : [];
  const line = lines.find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`no Set-Cookie for ${name} in ${JSON.stringify(lines)}`);
  return line;
}

const attributes = (line: string) =>
  line
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());

/** A 6-digit code that matches none of the steps the server accepts right now (−1, 0, +1). */
function wrongCode(t: TestApp, secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => codeFor(t, secret, s)));
  for (let i = 0; ; i++) {
    const code = String(i).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** A second browser holding a copy of `client`'s session cookie. */
function withToken(t: TestApp, token: string, options: { origin?: string } = {}): TestClient {
  const c = t.client(options);
  c.cookies.set(SESSION, token);
  return c;
}

/** Signs in with an emailed code: a full session without a fresh step-up. */
async function signInWithEmailCode(t: TestApp, user: Enrolled): Promise<TestClient> {
  const client = t.client();
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(login.status).toBe(200);
  expect((await client.post('/api/auth/login/email-code', { flow: login.body.flow })).status).toBe(202);
  const mail = await t.latestMail(user.email);
  const code = /^ {4}(\d{6})$/m.exec(mail.text)?.[1];
  expect(code).toBeTruthy();
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'email_code', code });
  expect(verify.status).toBe(200);
  return client;
}

describe.each(dialects)('sessions on %s', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const app = async (env: Record<string, string> = {}) => {
    t = await createTestApp(dialect, { env });
    return t;
  };

  describe('the cookie', () => {
    it('is HttpOnly, SameSite=Lax, Path=/ and not Secure over plain HTTP', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
      const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: codeFor(t, user.secret) });
      expect(verify.status).toBe(200);
      const attrs = attributes(setCookieLine(verify, SESSION));
      expect(attrs).toContain('httponly');
      expect(attrs).toContain('samesite=lax');
      expect(attrs).toContain('path=/');
      expect(attrs).not.toContain('secure');
      expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
      const maxAge = attrs.find((a) => a.startsWith('max-age='));
      expect(maxAge).toBe('max-age=86400');
      // The flow cookie has the same protections.
      const flowAttrs = attributes(setCookieLine(login, 'bastion_flow'));
      expect(flowAttrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    });

    it('is named __Host-bastion_session and Secure when BASE_URL is https', async () => {
      const t = await app({ BASE_URL: HTTPS_ORIGIN });
      const { email, password } = await registerVerified(t);
      const client = t.client({ origin: HTTPS_ORIGIN });
      const login = await client.post('/api/auth/login', { email, password });
      expect(login.status).toBe(200);
      const line = setCookieLine(login, `__Host-${SESSION}`);
      const attrs = attributes(line);
      expect(attrs).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
      expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
      expect(attributes(setCookieLine(login, '__Host-bastion_flow'))).toContain('secure');
      expect(client.cookies.has(SESSION)).toBe(false);

      // The session works under that name, and enrolling (a POST) passes the CSRF rule from the https origin.
      expect((await client.get('/api/me')).body.session.restricted).toBe(true);
      const setup = await client.post('/api/me/2fa/totp/setup');
      expect(setup.status).toBe(200);
      const confirm = await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, setup.body.secret) });
      expect(confirm.status).toBe(200);
      expect(attributes(setCookieLine(confirm, `__Host-${SESSION}`))).toContain('secure');
      expect((await client.get('/api/me')).body.session.restricted).toBe(false);

      // The plain-HTTP origin is not trusted for it.
      const http = t.client({ origin: 'http://localhost:3000' });
      http.cookies.set(`__Host-${SESSION}`, client.cookies.get(`__Host-${SESSION}`)!);
      const rejected = await http.post('/api/auth/logout');
      expect(rejected.status).toBe(403);
      expect(rejected.body.error).toBe('csrf_rejected');
    });
  });

  it('ends other password-only sessions once the first authenticator is enrolled', async () => {
    const t = await app();
    const { email, password } = await registerVerified(t);
    const other = t.client();
    expect((await other.post('/api/auth/login', { email, password })).body.next).toEqual(['enroll_2fa']);
    const enrolling = t.client();
    await enrolling.post('/api/auth/login', { email, password });
    const setup = await enrolling.post('/api/me/2fa/totp/setup');
    expect((await enrolling.post('/api/me/2fa/totp/confirm', { code: codeFor(t, setup.body.secret) })).status).toBe(200);
    expect((await other.get('/api/me')).status).toBe(401);
    expect((await enrolling.get('/api/me')).status).toBe(200);
  });

  it('refuses a session whose account is frozen, whatever the session row says', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    expect((await user.client.get('/api/me')).status).toBe(200);
    await t.db.store.db.updateTable('users').set({ frozen_at: t.clock.now() }).where('email', '=', user.email).execute();
    expect((await user.client.get('/api/me')).status).toBe(401);
  });

  it('stores only the SHA-256 of the token', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const client = await signIn(t, user);
    const token = client.cookies.get(SESSION)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await t.db.store.db.selectFrom('sessions').selectAll().execute();
    expect(rows.map((r) => r.token_hash)).toContain(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    // The enrollment session's token is not stored either.
    expect(JSON.stringify(rows)).not.toContain(user.client.cookies.get(SESSION)!);
  });

  describe('lifetime', () => {
    it('GET /api/me works; 61 idle minutes end the session', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signIn(t, user);
      const me = await client.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.user.email).toBe(user.email);
      expect(me.body.session).toMatchObject({ restricted: false, authMethod: 'password+totp' });
      t.clock.advance(59 * MINUTE);
      expect((await client.get('/api/me')).status).toBe(200);
      t.clock.advance(61 * MINUTE);
      const idle = await client.get('/api/me');
      expect(idle.status).toBe(401);
      expect(idle.body.error).toBe('not_authenticated');
    });

    it('stays alive with activity every 30 minutes for 3 hours', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signIn(t, user);
      for (let i = 0; i < 6; i++) {
        t.clock.advance(30 * MINUTE);
        expect((await client.get('/api/me')).status, `after ${(i + 1) * 30} minutes`).toBe(200);
      }
    });

    it('ends 24 hours after sign-in even with activity', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signIn(t, user);
      const row = await t.db.store.db.selectFrom('sessions').selectAll().where('token_hash', '=', sha256(client.cookies.get(SESSION)!)).executeTakeFirstOrThrow();
      const end = row.created_at + 24 * HOUR;
      while (t.clock.now() + 30 * MINUTE < end) {
        t.clock.advance(30 * MINUTE);
        expect((await client.get('/api/me')).status).toBe(200);
      }
      t.clock.set(end - 1000);
      expect((await client.get('/api/me')).status).toBe(200);
      t.clock.set(end);
      expect((await client.get('/api/me')).status).toBe(401);
    });

    it('logout answers 200 and the same cookie is dead afterwards', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signIn(t, user);
      const token = client.cookies.get(SESSION)!;
      const out = await client.post('/api/auth/logout');
      expect(out.status).toBe(200);
      expect(out.body).toEqual({ status: 'signed_out' });
      expect(client.cookies.has(SESSION)).toBe(false);
      const replay = withToken(t, token);
      expect((await replay.get('/api/me')).status).toBe(401);
      expect((await replay.post('/api/auth/logout')).status).toBe(401);
      expect(await t.db.store.db.selectFrom('audit_events').select('seq').where('type', '=', 'session.logout').execute()).toHaveLength(1);
      // Other sessions of the user are untouched.
      expect((await user.client.get('/api/me')).status).toBe(200);
    });

    it('issues a new token at every sign-in, never keeping one the browser brought', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      client.cookies.set(SESSION, 'attacker-chosen-session-value');
      await signIn(t, user, client);
      const first = client.cookies.get(SESSION)!;
      expect(first).not.toBe('attacker-chosen-session-value');
      await signIn(t, user, client);
      const second = client.cookies.get(SESSION)!;
      expect(second).not.toBe(first);
      expect((await withToken(t, first).get('/api/me')).status).toBe(200);
      expect((await withToken(t, second).get('/api/me')).status).toBe(200);
      const a = await withToken(t, first).get('/api/me');
      const b = await withToken(t, second).get('/api/me');
      expect(a.body.session.id).not.toBe(b.body.session.id);
    });
  });

  it('rejects a state-changing request from another origin (CSRF); the session keeps working', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const client = await signIn(t, user);
    const token = client.cookies.get(SESSION)!;
    const evil = withToken(t, token, { origin: 'https://evil.example' });
    const res = await evil.post('/api/auth/logout');
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('csrf_rejected');
    const noOrigin = await withToken(t, token).post('/api/auth/logout', {}, { origin: 'null' });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.error).toBe('csrf_rejected');
    const byReferer = await withToken(t, token).post('/api/auth/logout', {}, { origin: '', referer: 'https://evil.example/page' });
    expect(byReferer.status).toBe(403);
    expect((await evil.post('/api/me/2fa/totp/setup')).status).toBe(403);
    expect((await client.get('/api/me')).status).toBe(200);
    expect(await t.db.store.db.selectFrom('sessions').select('id').where('revoked_at', 'is not', null).execute()).toHaveLength(0);
  });

  describe('step-up', () => {
    it('an emailed-code session needs step-up for new backup codes; TOTP step-up rotates the token and allows it', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signInWithEmailCode(t, user);
      const me = await client.get('/api/me');
      expect(me.body.session).toMatchObject({ authMethod: 'password+email_code', stepUpFresh: false });

      const denied = await client.post('/api/me/2fa/backup-codes');
      expect(denied.status).toBe(403);
      expect(denied.body.error).toBe('step_up_required');
      expect(denied.body.stepUp).toMatchObject({ methods: ['totp'], endpoint: '/api/auth/step-up' });

      const before = client.cookies.get(SESSION)!;
      const step = await client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) });
      expect(step.status).toBe(200);
      expect(step.body).toEqual({ status: 'ok', stepUpExpiresAt: new Date(t.clock.now() + 10 * MINUTE).toISOString() });
      const after = client.cookies.get(SESSION)!;
      expect(after).not.toBe(before);
      expect((await withToken(t, before).get('/api/me')).status).toBe(401);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(true);

      const fresh = await client.post('/api/me/2fa/backup-codes');
      expect(fresh.status).toBe(200);
      const codes: string[] = fresh.body.backupCodes;
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      for (const code of codes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
      expect(codes.some((c) => user.backupCodes.includes(c))).toBe(false);
      expect((await t.latestMail(user.email)).subject).toBe('Bastion: New backup codes were created');
      expect((await client.get('/api/me')).body.security.twoFactor.backupCodesRemaining).toBe(10);

      // Old codes no longer work at sign-in; new ones do.
      const other = t.client();
      const login = await other.post('/api/auth/login', { email: user.email, password: user.password });
      const old = await other.post('/api/auth/login/verify', { flow: login.body.flow, method: 'backup_code', code: user.backupCodes[0] });
      expect(old.status).toBe(401);
      expect(old.body.error).toBe('invalid_code');
      const ok = await other.post('/api/auth/login/verify', { flow: login.body.flow, method: 'backup_code', code: codes[0] });
      expect(ok.status).toBe(200);

      // Step-up lasts 10 minutes.
      t.clock.advance(11 * MINUTE);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(false);
      const expired = await client.post('/api/me/2fa/backup-codes');
      expect(expired.status).toBe(403);
      expect(expired.body.error).toBe('step_up_required');
    });

    it('a TOTP sign-in counts as a fresh step-up', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signIn(t, user);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(true);
      expect((await client.post('/api/me/2fa/backup-codes')).status).toBe(200);
    });

    it('a backup-code sign-in is not a step-up', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = t.client();
      const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
      expect((await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'backup_code', code: user.backupCodes[0] })).status).toBe(200);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(false);
      expect((await client.post('/api/me/2fa/backup-codes')).status).toBe(403);
    });

    it('refuses a wrong code (401 invalid_code), a replayed code, and any method but TOTP', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signInWithEmailCode(t, user);
      const token = client.cookies.get(SESSION)!;
      const res = await client.post('/api/auth/step-up', { method: 'totp', code: wrongCode(t, user.secret) });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_code');
      expect(client.cookies.get(SESSION)).toBe(token);
      expect((await client.get('/api/me')).body.session.stepUpFresh).toBe(false);

      const emailed = await client.post('/api/auth/step-up', { method: 'email_code', code: '123456' });
      expect(emailed.status).toBe(400);
      const backup = await client.post('/api/auth/step-up', { method: 'totp', code: user.backupCodes[0] });
      expect(backup.status).toBe(401);

      const code = codeFor(t, user.secret);
      expect((await client.post('/api/auth/step-up', { method: 'totp', code })).status).toBe(200);
      const replay = await client.post('/api/auth/step-up', { method: 'totp', code });
      expect(replay.status).toBe(401);
      expect(replay.body.error).toBe('invalid_code');
      expect(await t.db.store.db.selectFrom('audit_events').select('seq').where('type', '=', 'mfa.failed').execute()).toHaveLength(3);
    });

    it('replacing an existing authenticator needs step-up', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = await signInWithEmailCode(t, user);
      const denied = await client.post('/api/me/2fa/totp/setup');
      expect(denied.status).toBe(403);
      expect(denied.body.error).toBe('step_up_required');
      expect((await client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
      const setup = await client.post('/api/me/2fa/totp/setup');
      expect(setup.status).toBe(200);
      expect(setup.body.secret).not.toBe(user.secret);

      // Confirming the replacement needs a fresh step-up as well, not only starting it.
      t.clock.advance(11 * MINUTE);
      const { secret } = setup.body as { secret: string };
      const late = await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, secret) });
      expect(late.status).toBe(403);
      expect(late.body.error).toBe('step_up_required');
      expect((await client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
      t.clock.advance(30_000);
      const confirmed = await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, secret) });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.backupCodes).toBeUndefined(); // the existing backup codes stay

      // The enrollment session's step-up (from confirming) has expired by now too.
      expect((await user.client.post('/api/me/2fa/totp/setup')).status).toBe(403);
    });
  });

  describe('authenticator enrollment', () => {
    it('keeps the TOTP secret sealed at rest', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const rows = await t.db.store.db.selectFrom('totp_credentials').selectAll().execute();
      expect(rows).toHaveLength(1);
      const sealed = rows[0]!.secret_sealed;
      expect(sealed.startsWith('v1.')).toBe(true);
      expect(sealed.startsWith('v1.k1.')).toBe(true);
      expect(sealed).not.toContain(user.secret);
      expect(sealed.toLowerCase()).not.toContain(user.secret.toLowerCase());
      const raw = Buffer.from(decodeBase32(user.secret));
      expect(sealed).not.toContain(raw.toString('hex'));
      expect(sealed).not.toContain(raw.toString('base64'));
      expect(sealed).not.toContain(raw.toString('base64url'));
    });

    it('returns an otpauth URL for Bastion and the account, a PNG data URL and an SVG QR code', async () => {
      const t = await app();
      const { email, password } = await registerVerified(t);
      const client = t.client();
      await client.post('/api/auth/login', { email, password });
      const setup = await client.post('/api/me/2fa/totp/setup');
      expect(setup.status).toBe(200);
      const { secret, otpauthUrl, qrPng, qrSvg } = setup.body as { secret: string; otpauthUrl: string; qrPng: string; qrSvg: string };
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const url = new URL(otpauthUrl);
      expect(url.protocol).toBe('otpauth:');
      expect(url.host).toBe('totp');
      expect(decodeURIComponent(url.pathname)).toBe(`/Bastion:${email}`);
      expect(url.searchParams.get('issuer')).toBe('Bastion');
      expect(url.searchParams.get('secret')).toBe(secret);
      expect(url.searchParams.get('digits')).toBe('6');
      expect(url.searchParams.get('period')).toBe('30');
      expect(qrPng.startsWith('data:image/png;base64,')).toBe(true);
      const png = Buffer.from(qrPng.slice('data:image/png;base64,'.length), 'base64');
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(qrSvg).toContain('<svg');

      // Until confirmed it is pending: the account still has no second factor.
      expect((await client.get('/api/me')).body.security.twoFactor.enabled).toBe(false);
      const wrong = await client.post('/api/me/2fa/totp/confirm', { code: wrongCode(t, secret) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe('invalid_code');
      expect((await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, secret) })).status).toBe(200);
      expect((await t.latestMail(email)).subject).toBe('Bastion: Two-factor authentication was turned on');
    });
  });
});
