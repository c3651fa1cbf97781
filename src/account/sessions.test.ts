/** Sessions: the cookie (and its __Host- name on HTTPS), only a hash stored, idle and absolute expiry, logout, a new token at every sign-in, the CSRF rule. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, registerVerified, signIn } from '../../test/accounts.ts';
import type { TestResponse } from '../../test/client.ts';
import { SESSION, withToken } from '../../test/cookies.ts';
import { dialects, testApps } from '../../test/harness.ts';
import { HOUR, MINUTE } from '../../test/time.ts';

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

describe.each(dialects)('sessions on %s', (dialect) => {
  const app = testApps(dialect);

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
});
