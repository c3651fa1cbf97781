/** Steps and checks for sign-up and email verification. */
import { expect } from 'vitest';
import { PASSWORD } from './accounts.ts';
import type { TestClient, TestResponse } from './client.ts';
import type { TestApp } from './harness.ts';
import { subjects, SUBJECTS } from './mail.ts';

export const VERIFY_SUBJECT = SUBJECTS.verifyEmail;
export const SIGNUP_ATTEMPT_SUBJECT = SUBJECTS.signUpAttempt;

export const users = (app: TestApp) => app.db.store.db.selectFrom('users').selectAll().execute();
/**
 * The live email verifications, one per account as a person sees it: the link and the code of the
 * latest email (two single-use tokens, account/tokens.ts), with the code's wrong tries.
 */
export async function verifications(app: TestApp) {
  const rows = await app.db.store.db
    .selectFrom('one_time_tokens')
    .selectAll()
    .where('purpose', 'in', ['email_verification', 'email_verification_code'])
    .where('used_at', 'is', null)
    .orderBy('created_at')
    .execute();
  const byUser = new Map<string, { link?: (typeof rows)[number]; code?: (typeof rows)[number] }>();
  for (const row of rows) {
    const entry = byUser.get(row.user_id) ?? {};
    if (row.purpose === 'email_verification') entry.link = row;
    else entry.code = row;
    byUser.set(row.user_id, entry);
  }
  return [...byUser.entries()].map(([userId, { link, code }]) => ({
    user_id: userId,
    token_hash: link?.token_hash,
    code_hash: code?.token_hash,
    link_expires_at: link?.expires_at,
    code_expires_at: code?.expires_at,
    code_attempts: code?.failed_attempts,
    created_at: link?.created_at ?? code?.created_at,
  }));
}
/** How many verification mails `email` has received. */
export const verifyMails = async (app: TestApp, email: string) => (await subjects(app, email)).filter((s) => s === VERIFY_SUBJECT).length;

export const register = (c: TestClient, email: string, password = PASSWORD) => c.post('/api/auth/register', { email, password, acceptTerms: true });

export const expectInvalidVerification = (res: TestResponse) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error).toBe('invalid_verification');
  expect(res.body.message).toMatch(/not valid/);
};
export const expectVerified = (res: TestResponse) => {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual({ status: 'verified' });
};
