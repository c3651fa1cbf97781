/**
 * Opening a lost-2FA reset request: the password and the emailed code under today's locks (an
 * unknown address answered like a wrong password), the limits (one open, three in 30 days), the
 * KYC set an unverified account must bring, and the email to every address on file.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { enrolledUser, uniqueEmail } from '../../../test/accounts.ts';
import { dialects, testApps, type TestApp } from '../../../test/harness.ts';
import { pendingCaseOf, photo, staffMember, submitKyc } from '../../../test/kyc.ts';
import { lastMail, mailsWithSubject, SUBJECTS } from '../../../test/mail.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';
import { DAY } from '../../../test/time.ts';
import { decideReset, kycSet, openReset, resetCode, resetLinks, verifiedUser } from '../../../test/two-factor-reset.ts';

const requestsOf = (t: TestApp, userId: string) => db(t).selectFrom('two_factor_resets').selectAll().where('user_id', '=', userId).execute();
const filesIn = (t: TestApp) => readdirSync(t.config.kyc.storageDir).length;

describe.each(dialects)('lost 2FA: opening a reset request on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  it('opens nothing on a wrong password or code, counts each toward its lock, and answers an unknown address like a wrong password', async () => {
    const t = await app();
    const user = await verifiedUser(t, await staffMember(t, 'support'));
    const userId = user.id;
    const code = await resetCode(t, user);
    const files = filesIn(t);

    const wrong = await openReset(t, user, { password: 'not-the-password-at-all-9', code });
    const unknown = await openReset(t, { email: uniqueEmail('nobody'), password: user.password }, { code });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error).toBe('invalid_credentials');
    // Asking for the code takes the password too: an unknown address is refused like a wrong password, and sent nothing.
    const nobody = uniqueEmail('nobody');
    const noCode = await t.client().post('/api/auth/2fa-reset/email-code', { email: nobody, password: user.password });
    const wrongCode = await t.client().post('/api/auth/2fa-reset/email-code', { email: user.email, password: 'not-the-password-at-all-9' });
    expect(noCode).toMatchObject({ status: 401, body: wrong.body });
    expect(wrongCode).toMatchObject({ status: 401, body: wrong.body });
    expect(await t.mailTo(nobody)).toHaveLength(0);

    // The password lock is the sign-in's: 5 wrong ones lock the address, a right one is then refused too.
    for (let i = 0; i < 3; i++) expect((await openReset(t, user, { password: `wrong-password-${i}-xyz`, code })).status).toBe(401);
    const locked = await openReset(t, user, { code });
    expect(locked).toMatchObject({ status: 429, body: { error: 'account_locked' } });
    expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).body.error).toBe('account_locked');
    const failures = await db(t).selectFrom('audit_events').select('data').where('type', '=', 'login.failed').where('user_id', '=', userId).execute();
    expect(failures.filter((f) => JSON.parse(f.data).purpose === 'recovery').length).toBeGreaterThanOrEqual(5);

    // After the lock, a wrong emailed code counts toward the emailed code's lock (10), shared with sign-in, and shows in login activity as a recovery.
    t.clock.advance(DAY);
    for (let i = 0; i < 9; i++) expect((await openReset(t, user, { code: code === '000000' ? '111111' : '000000' })).body.error).toBe('invalid_code');
    const tenth = await openReset(t, user, { code: '999999' === code ? '888888' : '999999' });
    expect(tenth).toMatchObject({ status: 429, body: { error: 'account_locked' } });
    expect((await auditOf(t, 'mfa.failed')).filter((e) => e.user_id === userId)).toHaveLength(10);
    const activity = await db(t).selectFrom('login_activity').select(['result', 'purpose']).where('user_id', '=', userId).execute();
    expect(activity.filter((a) => a.result === 'wrong_code' && a.purpose === 'recovery')).toHaveLength(10);

    expect(await requestsOf(t, userId)).toHaveLength(0);
    expect(filesIn(t)).toBe(files);
    expect(await mailsWithSubject(t, user.email, SUBJECTS.resetRequested)).toHaveLength(0);
  });

  it('opens one request at a time and at most three in 30 days, then answers 429 with the time it lifts', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const user = await verifiedUser(t, staff);
    const first = await openReset(t, user);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'submitted', kycSubmitted: false });
    const firstAt = t.clock.now();
    // Refused before the code is tried (it is not used up): one open request per account.
    expect((await openReset(t, user, { code: '000000' })).body.error).toBe('two_factor_reset_open');

    expect((await decideReset(staff, first.body.requestId, 'reject', 'The selfie is too dark.')).status).toBe(200);
    t.clock.advance(60_000);
    const second = await openReset(t, user);
    expect(second.status).toBe(201);
    expect((await decideReset(staff, second.body.requestId, 'reject', 'The selfie is too dark.')).status).toBe(200);
    const third = await openReset(t, user);
    expect(third.status).toBe(201);
    expect((await decideReset(staff, third.body.requestId, 'reject', 'The selfie is too dark.')).status).toBe(200);

    const fourth = await openReset(t, user, { code: '000000' });
    expect(fourth.status).toBe(429);
    expect(fourth.body).toMatchObject({ error: 'two_factor_reset_limit', retryAt: new Date(firstAt + 30 * DAY).toISOString() });
    expect(fourth.body.retryAfter).toBe(Math.ceil((firstAt + 30 * DAY - t.clock.now()) / 1000));
    expect(await requestsOf(t, user.id)).toHaveLength(3);

    t.clock.set(firstAt + 30 * DAY + 1);
    expect((await openReset(t, user)).status).toBe(201);
  });

  it('makes an account whose identity is not verified send the whole KYC set, without using up its code', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const user = await enrolledUser(t);
    const userId = (await userRow(t, user.email)).id;
    const code = await resetCode(t, user);

    const selfieOnly = await openReset(t, user, { code });
    expect(selfieOnly).toMatchObject({ status: 400, body: { error: 'kyc_set_required' } });
    const { fields, files } = await kycSet();
    const noBack = await openReset(t, user, { code, fields, files: { documentFront: files.documentFront! } });
    expect(noBack).toMatchObject({ status: 400, body: { error: 'file_missing', field: 'documentBack' } });
    const tiny = await openReset(t, user, { code, fields, files: { ...files, documentBack: await photo({ width: 400, height: 300 }) } });
    expect(tiny.body.error).toBe('image_too_small');

    const opened = await openReset(t, user, { code, fields, files });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.kycSubmitted).toBe(true);
    expect((await userRow(t, user.email)).kyc_status).toBe('pending');
    const [request] = await requestsOf(t, userId);
    const kycFiles = await db(t).selectFrom('kyc_files').select('item').where('case_id', '=', request!.kyc_case_id!).execute();
    expect(kycFiles.map((f) => f.item).sort()).toEqual(['documentBack', 'documentFront', 'selfie']);
    expect(JSON.parse(request!.risk_signals)).toContain('kyc_not_verified');

    // Staff compare against a verified identity: the KYC case is decided first.
    const early = await decideReset(staff, request!.id, 'approve');
    expect(early).toMatchObject({ status: 409, body: { error: 'two_factor_reset_kyc_unverified' } });
    const detail = await staff.session.get(`/api/staff/2fa-resets/${request!.id}`);
    expect(detail.body).toMatchObject({ kycVerified: false, kyc: { caseId: request!.kyc_case_id, status: 'pending' } });
    expect((await staff.session.post(`/api/staff/kyc/${request!.kyc_case_id}/decision`, { decision: 'approve', reason: 'Document and selfie match.' })).status).toBe(200);
    expect((await decideReset(staff, request!.id, 'approve')).body.state).toBe('approved');
  });

  it('makes an account asked to send KYC items again send the whole set, of the same document type', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const user = await enrolledUser(t);
    const userId = (await userRow(t, user.email)).id;
    expect((await submitKyc(user.client)).status).toBe(200);
    const caseId = await pendingCaseOf(t, staff, userId);
    expect((await staff.session.post(`/api/staff/kyc/${caseId}/decision`, { decision: 'resubmit', reason: 'The selfie is blurred.', items: ['selfie'] })).status).toBe(200);
    const before = await db(t).selectFrom('kyc_files').select('id').where('case_id', '=', caseId).where('superseded_at', 'is', null).execute();

    const code = await resetCode(t, user);
    expect((await openReset(t, user, { code })).body).toMatchObject({ error: 'kyc_set_required', documentType: 'national_id' });
    const { fields, files } = await kycSet();
    expect((await openReset(t, user, { code, fields: { ...fields, documentType: 'passport' }, files: { documentFront: files.documentFront! } })).body.error).toBe('invalid_request');
    const opened = await openReset(t, user, { code, fields, files });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.kycSubmitted).toBe(true);
    expect((await userRow(t, user.email)).kyc_status).toBe('pending');
    const after = await db(t).selectFrom('kyc_files').select(['id', 'item']).where('case_id', '=', caseId).where('superseded_at', 'is', null).execute();
    expect(after.map((f) => f.item).sort()).toEqual(['documentBack', 'documentFront', 'selfie']);
    expect(after.some((f) => before.some((b) => b.id === f.id))).toBe(false);
    expect((await requestsOf(t, userId))[0]!.kyc_case_id).toBe(caseId);
  });

  it('emails every address on file, the one given up in an email change too, each with its own cancel and status links', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const user = await verifiedUser(t, staff);
    const oldAddress = user.email;
    // An email change a day ago: the old address keeps its cancel link for 7 days.
    expect((await user.client.post('/api/me/email', { newEmail: (user.email = uniqueEmail('moved')) })).status).toBe(200);
    const confirm = await user.client.post('/api/me/email/confirm', { code: (await lastMail(t, user.email, SUBJECTS.confirmNewEmail)).text.match(/^ {4}(\d{6})$/m)![1] });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    t.clock.advance(DAY);

    const opened = await openReset(t, user, { client: t.client({ ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile' }) });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const toNew = await lastMail(t, user.email, SUBJECTS.resetRequested);
    const toOld = await lastMail(t, oldAddress, SUBJECTS.resetRequested);
    expect(toNew.text).toContain("Cancel — this wasn't me");
    expect(resetLinks(toNew).cancel).not.toBe(resetLinks(toOld).cancel);
    expect(resetLinks(toNew).status).not.toBe(resetLinks(toOld).status);
    const [request] = await requestsOf(t, user.id);
    expect(JSON.parse(request!.risk_signals)).toEqual(expect.arrayContaining(['new_device', 'recent_email_change']));
    expect((await auditOf(t, 'mfa_reset.requested')).at(-1)).toMatchObject({ actor_kind: 'anonymous', user_id: user.id });
  });
});
