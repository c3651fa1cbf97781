/** Steps for new-device confirmation tests: sign-ins that are held for the inbox or go straight in, and the confirmation mail. */
import { expect } from 'vitest';
import { codeFor, type Enrolled } from './accounts.ts';
import type { TestClient, TestResponse } from './client.ts';
import type { TestApp } from './harness.ts';
import { lastMail, SUBJECTS } from './mail.ts';
import type { ReceivedMail } from './smtp.ts';

export const CONFIRM_SUBJECT = SUBJECTS.confirmDevice;
export const NEW_SIGN_IN_SUBJECT = SUBJECTS.newSignIn;

export interface Confirmation {
  mail: ReceivedMail;
  token: string;
  code: string;
  lockUrl: string;
}

/** The link token, the code and the lock link of the latest new-device confirmation mail. */
export async function confirmationMail(t: TestApp, email: string): Promise<Confirmation> {
  const mail = await lastMail(t, email, CONFIRM_SUBJECT);
  const token = /http:\/\/localhost:3000\/confirm-device\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  const code = /^ {4}(\d{6})$/m.exec(mail.text)?.[1];
  const lockUrl = /http:\/\/localhost:3000\/lock-account\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  if (!token || !code || !lockUrl) throw new Error(`no confirmation link, code or lock link in:\n${mail.text}`);
  return { mail, token, code, lockUrl };
}

/** A 6-digit code other than `code`. */
export const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

/** Password step on `client`; returns the flow id. (test/login.ts has one that also checks the id is a string.) */
export async function startLogin(client: TestClient, user: { email: string; password: string }): Promise<string> {
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.flow;
}

/** The TOTP step for `flow` with the current code; the code's time step is used up afterwards. */
export async function verifyTotp(t: TestApp, client: TestClient, flow: string, user: Enrolled): Promise<TestResponse> {
  const res = await client.post('/api/auth/login/verify', { flow, method: 'totp', code: codeFor(t, user.secret) });
  t.clock.advance(30_000);
  return res;
}

/** Password and TOTP on `client`; expects the sign-in to wait for a device confirmation. */
export async function signInPending(t: TestApp, user: Enrolled, client: TestClient): Promise<string> {
  const flow = await startLogin(client, user);
  const res = await verifyTotp(t, client, flow, user);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual({ flow, next: ['confirm_device'] });
  return flow;
}

/** Password and TOTP on `client`; expects a session at once. */
export async function signInDirect(t: TestApp, user: Enrolled, client: TestClient): Promise<TestResponse> {
  const flow = await startLogin(client, user);
  const res = await verifyTotp(t, client, flow, user);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.user?.email, JSON.stringify(res.body)).toBe(user.email);
  return res;
}

/** A full sign-in from a new device, confirmed with the emailed code. */
export async function signInConfirmed(t: TestApp, user: Enrolled, client: TestClient): Promise<TestClient> {
  const flow = await signInPending(t, user, client);
  const { code } = await confirmationMail(t, user.email);
  const res = await client.post('/api/auth/login/confirm-device', { flow, code });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return client;
}
