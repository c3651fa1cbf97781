/** Steps and checks for sign-up and email verification. */
import { expect } from 'vitest';
import { PASSWORD } from './accounts.ts';
import type { TestClient, TestResponse } from './client.ts';
import type { TestApp } from './harness.ts';
import { subjects, SUBJECTS } from './mail.ts';

export const VERIFY_SUBJECT = SUBJECTS.verifyEmail;
export const SIGNUP_ATTEMPT_SUBJECT = SUBJECTS.signUpAttempt;

export const users = (app: TestApp) => app.db.store.db.selectFrom('users').selectAll().execute();
export const verifications = (app: TestApp) => app.db.store.db.selectFrom('email_verifications').selectAll().execute();
/** How many verification mails `email` has received. */
export const verifyMails = async (app: TestApp, email: string) => (await subjects(app, email)).filter((s) => s === VERIFY_SUBJECT).length;

export const register = (c: TestClient, email: string, password = PASSWORD) => c.post('/api/auth/register', { email, password });

export const expectInvalidVerification = (res: TestResponse) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error).toBe('invalid_verification');
  expect(res.body.message).toMatch(/not valid/);
};
export const expectVerified = (res: TestResponse) => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual({ status: 'verified' });
};
