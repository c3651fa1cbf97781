/**
 * A reset request after it is opened: approval starts a 48-hour wait, then every second factor
 * goes, every session ends, the next sign-in may only enroll, and withdrawals are held 48 hours; a
 * cancel during the wait locks the account and removes nothing; a rejection changes nothing; staff
 * never decide on their own account; the status link works once and hands out the next.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, signIn } from '../../../test/accounts.ts';
import { dialects, testApps, type TestApp } from '../../../test/harness.ts';
import { staffMember, type StaffMember } from '../../../test/kyc.ts';
import { lastMail, mailsWithSubject, SUBJECTS } from '../../../test/mail.ts';
import { auditOf, db, holdsOf, userRow } from '../../../test/queries.ts';
import { DAY, HOUR, MINUTE } from '../../../test/time.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sweepKycRetention } from '../kyc/erasure.ts';
import { decideReset, kycSet, openReset, resetLinks, verifiedUser, type Verified } from '../../../test/two-factor-reset.ts';
import { carryOutDueResets } from './carry-out.ts';
import { deviceCodeKey, factorKey } from '../../account/locks.ts';
import { HARD_LOCK_UNTIL } from '../../throttle/throttle.ts';

const factorsOf = async (t: TestApp, userId: string) => ({
  totp: (await db(t).selectFrom('totp_credentials').select('id').where('user_id', '=', userId).execute()).length,
  backupCodes: (await db(t).selectFrom('backup_codes').select('id').where('user_id', '=', userId).execute()).length,
});
const liveSessions = async (t: TestApp, userId: string) => (await db(t).selectFrom('sessions').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).execute()).length;
const approvedMail = async (t: TestApp, email: string) => (await t.mailTo(email)).filter((m) => m.subject.startsWith('Bastion: Your 2FA reset was approved')).at(-1)!;

async function opened(t: TestApp, staff: StaffMember): Promise<{ user: Verified; requestId: string; statusToken: string }> {
  const user = await verifiedUser(t, staff);
  const open = await openReset(t, user);
  expect(open.status, JSON.stringify(open.body)).toBe(201);
  return { user, requestId: open.body.requestId, statusToken: open.body.statusToken };
}

describe.each(dialects)('lost 2FA: review, wait and reset on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  it('approval waits 48 hours; then every factor goes, sessions end, the next sign-in enrolls, withdrawals are held 48 hours', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const { user, requestId, statusToken } = await opened(t, staff);
    let status = await t.client().get(`/api/auth/2fa-reset/status?token=${statusToken}`);
    expect(status.body.status).toBe('submitted');
    expect((await staff.session.get(`/api/staff/2fa-resets/${requestId}`)).body).toMatchObject({ own: false, kycVerified: true, selfie: { width: 900, height: 1200 } });
    status = await t.client().get(`/api/auth/2fa-reset/status?token=${status.body.nextToken}`);
    expect(status.body.status).toBe('in_review');

    const approve = await decideReset(staff, requestId, 'approve');
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);
    const effectiveAt = t.clock.now() + 48 * HOUR;
    expect(approve.body).toMatchObject({ state: 'approved', effectiveAt: new Date(effectiveAt).toISOString() });
    const notice = await approvedMail(t, user.email);
    expect(notice.text).toContain("Cancel — this wasn't me");
    expect((await auditOf(t, 'mfa_reset.approved')).at(-1)).toMatchObject({ actor_kind: 'staff', actor_id: staff.id, user_id: user.id });

    // During the wait nothing changes; a sign-in with the authenticator app still works and is told to every address.
    const during = await signIn(t, user);
    expect((await during.get('/api/me')).status).toBe(200);
    expect((await lastMail(t, user.email, SUBJECTS.resetSignInDuringWait)).text).toContain('your authenticator app');
    t.clock.advance(48 * HOUR - 5 * MINUTE);
    expect(await carryOutDueResets(t.deps)).toBe(0);
    expect(await factorsOf(t, user.id)).toEqual({ totp: 1, backupCodes: 10 });
    // Hard locks of the emailed code and the new-device code (whoever guessed them): the reset lifts them.
    const hardLocked = [factorKey(user.id, 'email_code'), deviceCodeKey(user.id)];
    for (const key of hardLocked) await t.deps.throttle.lock(key, HARD_LOCK_UNTIL - t.clock.now());

    t.clock.advance(5 * MINUTE);
    // The sign-in carries out the reset first (no sweep needed): the password alone now only enrolls.
    const login = await user.client.post('/api/auth/login', { email: user.email, password: user.password });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.next).toEqual(['enroll_2fa']);
    expect(await factorsOf(t, user.id)).toEqual({ totp: 0, backupCodes: 0 });
    for (const key of hardLocked) expect(await t.deps.throttle.lockedUntil(key)).toBeNull();
    expect((await during.get('/api/me')).status).toBe(401);
    expect((await user.client.get('/api/me')).body.session.restricted).toBe(true);
    expect(await liveSessions(t, user.id)).toBe(1);
    const holds = await holdsOf(t, user.id);
    expect(holds.at(-1)).toMatchObject({ reason: 'two_factor_reset', until: t.clock.now() + 48 * HOUR });
    expect((await lastMail(t, user.email, SUBJECTS.twoFactorReset)).text).toContain('Withdrawals are held until');
    expect((await auditOf(t, 'mfa.reset')).at(-1)).toMatchObject({ actor_kind: 'system', user_id: user.id });
    expect(JSON.parse((await auditOf(t, 'mfa.reset')).at(-1)!.data)).toMatchObject({ requestId, approvedBy: staff.id, removed: { totp: 1, backup_code: 10 } });

    // A new authenticator app can be enrolled in that session; the old one never signs in again.
    const setup = await user.client.post('/api/me/2fa/totp/setup');
    expect((await user.client.post('/api/me/2fa/totp/confirm', { code: codeFor(t, setup.body.secret) })).status).toBe(200);
    const old = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
    const refused = await t.client().post('/api/auth/login/verify', { flow: old.body.flow, method: 'totp', code: codeFor(t, user.secret) });
    expect(refused.status).not.toBe(200);
    expect((await t.client().get(`/api/auth/2fa-reset/status?token=${resetLinks(notice).status}`)).body.status).toBe('completed');

    // "This wasn't me" after it was carried out: whoever asked may hold a strong factor of their own by
    // now (the authenticator enrolled above): it goes, every session ends, and only support unlocks.
    const late = await t.client().post('/api/auth/2fa-reset/cancel', { token: resetLinks(notice).cancel });
    expect(late.body).toEqual({ status: 'cancelled', requestCancelled: false, frozen: false, staffLocked: true });
    expect(await userRow(t, user.email)).toMatchObject({ frozen_at: null, staff_locked_at: expect.any(Number), staff_locked_by: null });
    expect(await factorsOf(t, user.id)).toEqual({ totp: 0, backupCodes: 0 });
    expect(await liveSessions(t, user.id)).toBe(0);
    expect((await lastMail(t, user.email, SUBJECTS.resetCancelled)).text).toContain('only support can unlock');
    expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).body.error).toBe('account_locked_by_staff');
  });

  it('a cancel during the wait locks the account, removes nothing, and its link works once', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const { user, requestId } = await opened(t, staff);
    expect((await decideReset(staff, requestId, 'approve')).status).toBe(200);
    const { cancel, status } = resetLinks(await approvedMail(t, user.email));

    const cancelled = await t.client().post('/api/auth/2fa-reset/cancel', { token: cancel });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toEqual({ status: 'cancelled', requestCancelled: true, frozen: true, staffLocked: false });
    expect((await t.client().post('/api/auth/2fa-reset/cancel', { token: cancel })).body.error).toBe('invalid_token');
    expect((await userRow(t, user.email)).frozen_at).not.toBeNull();
    expect(await liveSessions(t, user.id)).toBe(0);
    expect((await lastMail(t, user.email, SUBJECTS.resetCancelled)).text).toContain('was cancelled');

    t.clock.advance(49 * HOUR);
    expect(await carryOutDueResets(t.deps)).toBe(0);
    expect(await factorsOf(t, user.id)).toEqual({ totp: 1, backupCodes: 10 });
    expect((await t.client().get(`/api/auth/2fa-reset/status?token=${status}`)).body.status).toBe('cancelled');
    expect((await decideReset(await staffMember(t, 'support'), requestId, 'approve')).body.error).toBe('two_factor_reset_closed');
    expect((await auditOf(t, 'mfa_reset.cancelled')).at(-1)).toMatchObject({ actor_kind: 'user', user_id: user.id });
  });

  it('a rejected request changes nothing, and the user sees why', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const { user, requestId, statusToken } = await opened(t, staff);
    const reject = await decideReset(staff, requestId, 'reject', 'The face in the selfie does not match the document.');
    expect(reject.body.state).toBe('rejected');
    expect((await lastMail(t, user.email, SUBJECTS.resetRejected)).text).toContain('does not match the document');
    const status = await t.client().get(`/api/auth/2fa-reset/status?token=${statusToken}`);
    expect(status.body).toMatchObject({ status: 'rejected', reason: 'The face in the selfie does not match the document.', effectiveAt: null });

    t.clock.advance(49 * HOUR);
    expect(await carryOutDueResets(t.deps)).toBe(0);
    expect(await factorsOf(t, user.id)).toEqual({ totp: 1, backupCodes: 10 });
    expect((await holdsOf(t, user.id)).filter((h) => h.reason === 'two_factor_reset')).toHaveLength(0);
    expect((await (await signIn(t, user)).get('/api/me')).status).toBe(200);
    expect((await decideReset(await staffMember(t, 'admin'), requestId, 'approve')).body.error).toBe('two_factor_reset_closed');

    // The selfie is kept only as long as a rejected KYC document (KYC_REJECTED_RETENTION), then shredded.
    const [row] = await db(t).selectFrom('two_factor_resets').selectAll().where('id', '=', requestId).execute();
    expect(existsSync(join(t.config.kyc.storageDir, row!.selfie_storage_name))).toBe(true);
    t.clock.advance(90 * DAY);
    // Two sweeps at once (two nodes, or a node and `bastion kyc sweep`): shredded and recorded once.
    await Promise.all([sweepKycRetention(t.deps), sweepKycRetention(t.deps)]);
    expect(await auditOf(t, 'mfa_reset.selfie_erased')).toHaveLength(1);
    const [shredded] = await db(t).selectFrom('two_factor_resets').selectAll().where('id', '=', requestId).execute();
    expect(shredded!.selfie_key_sealed).toBeNull();
    expect(existsSync(join(t.config.kyc.storageDir, row!.selfie_storage_name))).toBe(false);
    const viewer = await staffMember(t, 'support');
    expect((await viewer.session.get(`/api/staff/2fa-resets/${requestId}`)).body.selfie).toBeNull();
    expect((await viewer.session.get(`/api/staff/2fa-resets/${requestId}/selfie`)).status).toBe(404);
  });

  it('staff cannot decide on a request for their own account; another staff member can', async () => {
    const t = await app();
    const admin = await staffMember(t, 'admin');
    const self = await verifiedUser(t, admin);
    await admin.session.put(`/api/staff/users/${self.id}/role`, { role: 'support', reason: 'New support colleague.' });
    const open = await openReset(t, self);
    expect(open.status).toBe(201);
    const own = { ...self, session: await signIn(t, self) } as StaffMember;
    expect((await own.session.get(`/api/staff/2fa-resets/${open.body.requestId}`)).body.own).toBe(true);
    expect(await decideReset(own, open.body.requestId, 'approve')).toMatchObject({ status: 403, body: { error: 'staff_own_account' } });
    expect((await decideReset(own, open.body.requestId, 'reject')).body.error).toBe('staff_own_account');
    expect((await decideReset(admin, open.body.requestId, 'approve')).body.state).toBe('approved');
    // A staff account's reset is an admin's decision: the console goes to whoever signs in next.
    const adminReset = await openReset(t, admin, { ...(await kycSet()) });
    expect(adminReset.status, JSON.stringify(adminReset.body)).toBe(201);
    expect((await decideReset(own, adminReset.body.requestId, 'reject')).body.error).toBe('staff_permission_denied');
    // Not staff: the queue is refused.
    expect((await (await signIn(t, await verifiedUser(t, admin))).get('/api/staff/2fa-resets')).body.error).toBe('staff_only');
  });

  it('shows the queue oldest first, and a status link once (each look hands out the next)', async () => {
    const t = await app();
    const staff = await staffMember(t, 'support');
    const first = await opened(t, staff);
    t.clock.advance(MINUTE);
    const second = await opened(t, staff);
    const queue = await staff.session.get('/api/staff/2fa-resets?status=pending');
    expect(queue.body.requests.map((r: { id: string }) => r.id)).toEqual([first.requestId, second.requestId]);
    expect(queue.body.requests[0]).toMatchObject({ email: first.user.email, kycStatus: 'verified', riskSignals: expect.any(Array) });

    const look = await t.client().get(`/api/auth/2fa-reset/status?token=${first.statusToken}`);
    expect(look.status).toBe(200);
    // Masked: the links reach an address given up in an email change too, which must not learn the new one.
    expect(look.body.email).toBe(`${first.user.email[0]}***@example.com`);
    expect((await t.client().get(`/api/auth/2fa-reset/status?token=${first.statusToken}`)).body.error).toBe('invalid_token');
    expect((await t.client().get(`/api/auth/2fa-reset/status?token=${look.body.nextToken}`)).status).toBe(200);
    expect((await t.client().get('/api/auth/2fa-reset/status?token=made-up')).body.error).toBe('invalid_token');
    const emailed = resetLinks(await lastMail(t, first.user.email, SUBJECTS.resetRequested));
    expect((await t.client().get(`/api/auth/2fa-reset/status?token=${emailed.status}`)).body.status).toBe('submitted');
    expect(await mailsWithSubject(t, second.user.email, SUBJECTS.resetRequested)).toHaveLength(1);
  });
});
