/** Journeys most feature tests start from: a verified account, with or without an authenticator. */
import { expect } from 'vitest';
import { decodeBase32, totp } from '../src/factors/totp/otp.ts';
import type { TestClient } from './client.ts';
import { DEVICE } from './cookies.ts';
import type { TestApp } from './harness.ts';
import { lastMail, sixDigits, SUBJECTS } from './mail.ts';

export const PASSWORD = 'violet-harbor-compass-91';
/** A strong password to change or reset to. */
export const NEW_PASSWORD = 'amber-lantern-orbit-47';

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}${++counter}-${Date.now().toString(36)}@example.com`;

/** The link token and the 6-digit code in the latest verification email. */
export async function verificationFrom(t: TestApp, email: string): Promise<{ token: string; code: string }> {
  const mail = await t.latestMail(email);
  const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  const code = /^\s{4}(\d{6})$/m.exec(mail.text)?.[1];
  if (!token || !code) throw new Error(`no verification link or code in: ${mail.subject}`);
  return { token, code };
}

/** Signs up and verifies by the emailed link in `c` (which becomes a known device of the account). */
export async function registerVerified(t: TestApp, email = uniqueEmail(), password = PASSWORD, c: TestClient = t.client()): Promise<{ email: string; password: string }> {
  expect((await c.post('/api/auth/register', { email, password, acceptTerms: true })).status).toBe(202);
  const { token } = await verificationFrom(t, email);
  expect((await c.post('/api/auth/verify-email', { token })).status).toBe(200);
  return { email, password };
}

/** A TOTP code for a base32 secret at the test clock's time (optionally steps later). */
export function codeFor(t: TestApp, secret: string, stepsLater = 0): string {
  return totp(decodeBase32(secret), t.clock.now() + stepsLater * 30_000);
}

/** A 6-digit code that matches none of the steps the server accepts right now (−1, 0, +1). */
export function wrongCode(t: TestApp, secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => codeFor(t, secret, s)));
  for (let i = 0; ; i++) {
    const code = String(i).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

export interface Enrolled {
  email: string;
  password: string;
  secret: string;
  backupCodes: string[];
  client: TestClient;
}

/** Registers, verifies, signs in (restricted) and enrolls TOTP; the client holds a full session. */
export async function enrolledUser(t: TestApp, email = uniqueEmail()): Promise<Enrolled> {
  const client = t.client();
  const { password } = await registerVerified(t, email, PASSWORD, client);
  const login = await client.post('/api/auth/login', { email, password });
  expect(login.body.next).toEqual(['enroll_2fa']);
  const setup = await client.post('/api/me/2fa/totp/setup');
  expect(setup.status).toBe(200);
  const secret: string = setup.body.secret;
  const confirm = await client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, secret) });
  expect(confirm.status).toBe(200);
  t.clock.advance(30_000); // the enrollment code's time step is used up
  return { email, password, secret, backupCodes: confirm.body.backupCodes, client };
}

/** Full sign-in with TOTP on a new client. */
export async function signIn(t: TestApp, user: { email: string; password: string; secret: string }, client = t.client()): Promise<TestClient> {
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(login.status).toBe(200);
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: codeFor(t, user.secret) });
  expect(verify.status, JSON.stringify(verify.body)).toBe(200);
  t.clock.advance(30_000);
  return client;
}

/**
 * Another browser of a device the account knows (it holds the device cookie of `user.client`, the
 * browser that enrolled): the emailed code signs in only there.
 */
export function knownBrowser(t: TestApp, user: { client: TestClient }, options: { ip?: string; userAgent?: string; origin?: string } = {}): TestClient {
  const client = t.client(options);
  const device = user.client.cookies.get(DEVICE);
  if (!device) throw new Error('the enrolling browser holds no device cookie');
  client.cookies.set(DEVICE, device);
  return client;
}

/** Signs in with an emailed code on a known device: a full session without a fresh step-up (policy "off"). */
export async function signInWithEmailCode(t: TestApp, user: Enrolled, client = knownBrowser(t, user)): Promise<TestClient> {
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(login.status).toBe(200);
  expect((await client.post('/api/auth/login/email-code', { flow: login.body.flow })).status).toBe(202);
  const code = sixDigits(await lastMail(t, user.email, SUBJECTS.signInCode));
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'email_code', code });
  expect(verify.status, JSON.stringify(verify.body)).toBe(200);
  return client;
}

/** Signs in with a backup code (policy "off"). */
export async function signInWithBackupCode(t: TestApp, user: Enrolled, code: string, client = t.client()): Promise<TestClient> {
  const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(login.status).toBe(200);
  const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'backup_code', code });
  expect(verify.status, JSON.stringify(verify.body)).toBe(200);
  return client;
}
