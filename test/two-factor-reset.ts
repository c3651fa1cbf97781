/**
 * Lost-2FA resets in tests: an account whose identity is verified, the emailed code that opens a
 * request, the request itself as the login page sends it, and the links in its emails.
 */
import { expect } from 'vitest';
import { enrolledUser, type Enrolled } from './accounts.ts';
import type { TestClient, TestResponse } from './client.ts';
import type { TestApp } from './harness.ts';
import { DETAILS, kycForm, pendingCaseOf, photo, submitKyc, type StaffMember } from './kyc.ts';
import { lastMail, sixDigits, SUBJECTS } from './mail.ts';
import { userRow } from './queries.ts';
import type { ReceivedMail } from './smtp.ts';

export interface Verified extends Enrolled {
  id: string;
}

/** An enrolled account whose identity a staff member verified. */
export async function verifiedUser(t: TestApp, staff: StaffMember): Promise<Verified> {
  const user = await enrolledUser(t);
  expect((await submitKyc(user.client)).status).toBe(200);
  const id = (await userRow(t, user.email)).id;
  const caseId = await pendingCaseOf(t, staff, id);
  const approve = await staff.session.post(`/api/staff/kyc/${caseId}/decision`, { decision: 'approve', reason: 'Document and selfie match.' });
  expect(approve.status, JSON.stringify(approve.body)).toBe(200);
  return { ...user, id };
}

/** Asks for the code that opens a request and reads it from the inbox. */
export async function resetCode(t: TestApp, user: { email: string; password: string }, client: TestClient = t.client()): Promise<string> {
  const { email } = user;
  const sent = await client.post('/api/auth/2fa-reset/email-code', { email, password: user.password });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  return sixDigits(await lastMail(t, email, SUBJECTS.resetCode));
}

export interface OpenOptions {
  password?: string;
  code?: string;
  client?: TestClient;
  fields?: Record<string, string>;
  files?: Record<string, Buffer>;
}

/** Opens a request as the login page does: the password, the emailed code and a new selfie (plus what `fields`/`files` add). */
export async function openReset(t: TestApp, user: { email: string; password: string }, options: OpenOptions = {}): Promise<TestResponse> {
  const client = options.client ?? t.client();
  const code = options.code ?? (await resetCode(t, user, client));
  const form = kycForm({ email: user.email, password: options.password ?? user.password, emailCode: code, ...options.fields }, { selfie: await photo({ width: 900, height: 1200 }), ...options.files });
  return client.upload('/api/auth/2fa-reset', form);
}

/** The whole KYC set of an ID card, for an account whose identity is not verified. */
export async function kycSet(): Promise<{ fields: Record<string, string>; files: Record<string, Buffer> }> {
  return { fields: { ...DETAILS }, files: { documentFront: await photo(), documentBack: await photo({ format: 'png' }) } };
}

const link = (kind: 'status' | 'cancel') => new RegExp(`http://localhost:3000/2fa-reset/${kind}\\?token=([A-Za-z0-9_-]+)`);

/** The status-page and cancel tokens in a mail about a request. */
export function resetLinks(mail: ReceivedMail): { status: string; cancel: string | null } {
  const status = link('status').exec(mail.text)?.[1];
  if (!status) throw new Error(`no status link in "${mail.subject}":\n${mail.text}`);
  return { status, cancel: link('cancel').exec(mail.text)?.[1] ?? null };
}

export const decideReset = (staff: StaffMember, id: string, decision: 'approve' | 'reject', reason = 'The selfie matches the verified document.') =>
  staff.session.post(`/api/staff/2fa-resets/${id}/decision`, { decision, reason });
