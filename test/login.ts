/** Steps for sign-in tests: the password step, and the code from the sign-in code mail. */
import { expect } from 'vitest';
import type { TestClient } from './client.ts';
import type { TestApp } from './harness.ts';
import { SUBJECTS } from './mail.ts';

/** Password step on `client`; returns the flow id (checked to be a string). */
export async function startLogin(client: TestClient, user: { email: string; password: string }): Promise<string> {
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(typeof res.body.flow).toBe('string');
  return res.body.flow;
}

/** The 6-digit code in the latest sign-in code mail (on a line of its own, indented by 4 spaces). */
export async function emailCode(t: TestApp, email: string): Promise<string> {
  const mail = await t.latestMail(email);
  expect(mail.subject).toBe(SUBJECTS.signInCode);
  const code = /^ {4}(\d{6})$/m.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in the sign-in mail:\n${mail.text}`);
  return code;
}
