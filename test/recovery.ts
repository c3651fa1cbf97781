/** Steps and checks for password recovery and unlocking: asking for a link, reading it, locking an account to unlock. */
import { expect } from 'vitest';
import { codeFor } from './accounts.ts';
import type { TestClient, TestResponse } from './client.ts';
import { TEST_BASE_URL, type TestApp, type TestAppOptions } from './harness.ts';
import { lastMail, subjects, SUBJECTS } from './mail.ts';
import { expectCheckEmail } from './responses.ts';

/** The password the recovery tests reset to. */
export const NEW_PASSWORD = 'amber-lantern-thicket-58';
export const RESET_SUBJECT = SUBJECTS.resetPassword;
export const CHANGED_SUBJECT = SUBJECTS.passwordChanged;
export const LOCKED_SUBJECT = SUBJECTS.accountLocked;
export const BACKUP_USED_SUBJECT = SUBJECTS.backupCodeUsed;
/** Lockout tests make many sign-in attempts from one IP: keep the per-IP limit out of the way. */
export const LOCKOUT_ENV: TestAppOptions = { env: { LOGIN_IP_LIMIT: '1000' } };

/** How many mails to `email` have this subject. */
export const count = async (app: TestApp, email: string, subject: string) => (await subjects(app, email)).filter((s) => s === subject).length;

/** The token of the latest mail with `subject` whose link matches `path`. */
async function linkToken(app: TestApp, email: string, subject: string, path: string): Promise<string> {
  const mail = (await app.mailTo(email)).filter((m) => m.subject === subject).at(-1);
  if (!mail) throw new Error(`no "${subject}" mail for ${email}`);
  const token = new RegExp(`${TEST_BASE_URL}/${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text)?.[1];
  if (!token) throw new Error(`no ${path} link in "${subject}"`);
  return token;
}
export const resetTokenFrom = (app: TestApp, email: string) => linkToken(app, email, RESET_SUBJECT, 'reset-password');
export const unlockTokenFrom = (app: TestApp, email: string) => linkToken(app, email, LOCKED_SUBJECT, 'unlock');

export const forgot = (c: TestClient, email: string) => c.post('/api/auth/password/forgot', { email });

/** Asks for a password reset (202 check_email) and returns the link's token. */
export async function requestReset(app: TestApp, email: string, c = app.client()): Promise<string> {
  expectCheckEmail(await forgot(c, email));
  return resetTokenFrom(app, email);
}

/** Asks for a password reset from a new client and returns the token of the latest reset link. */
export async function resetToken(t: TestApp, email: string): Promise<string> {
  expect((await t.client().post('/api/auth/password/forgot', { email })).status).toBe(202);
  const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec((await lastMail(t, email, SUBJECTS.resetPassword)).text)?.[1];
  if (!token) throw new Error('no reset link');
  return token;
}

/** A 6-digit code that matches none of the time steps an authenticator could be on. */
export function wrongTotp(app: TestApp, secret: string, i = 0): string {
  const near = new Set([-2, -1, 0, 1, 2].map((s) => codeFor(app, secret, s)));
  for (let n = 100_000 + i * 7919; ; n++) if (!near.has(String(n))) return String(n);
}

export const login = (c: TestClient, email: string, password: string) => c.post('/api/auth/login', { email, password });

export const expectReset = (res: TestResponse) => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual({ status: 'password_reset' });
};
export const expectInvalidToken = (res: TestResponse) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error).toBe('invalid_token');
};

/** Five wrong passwords in a row: the fifth still answers 401, the account is then locked. */
export async function lockByPassword(app: TestApp, email: string, c: TestClient): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const res = await login(c, email, `wrong-password-${i}-xyz`);
    expect(res.status, `attempt ${i + 1}`).toBe(401);
    expect(res.body.error).toBe('invalid_credentials');
  }
}
export function expectLocked(res: TestResponse, app: TestApp): void {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.error).toBe('account_locked');
  expect(Date.parse(res.body.lockedUntil)).toBeGreaterThan(app.clock.now());
  expect(res.body.retryAfter).toBe(Number(res.headers['retry-after']));
}
