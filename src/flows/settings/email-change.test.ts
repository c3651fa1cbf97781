/**
 * Changing the email address: a fresh step-up to ask; the code at the new address makes the change
 * (other sessions end, withdrawals are held, the old address is told with a cancel link); the old
 * address's link puts it back and locks the account within 7 days, not after; a taken address is
 * answered exactly like a free one; wrong codes use the code up.
 */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, signIn, uniqueEmail, type Enrolled } from '../../../test/accounts.ts';
import { dialects, testApps, type TestApp } from '../../../test/harness.ts';
import { lastMail, lockTokens, mailsWithSubject, sixDigits, SUBJECTS } from '../../../test/mail.ts';
import { auditOf, holdsOf, userRow } from '../../../test/queries.ts';
import { DAY, HOUR, MINUTE } from '../../../test/time.ts';

const cancelToken = (text: string) => /email-change\/cancel\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

async function ask(t: TestApp, user: Enrolled, newEmail: string) {
  return user.client.post('/api/me/email', { newEmail });
}

describe.each(dialects)('changing the email address on %s', (dialect) => {
  const app = testApps(dialect);

  it('needs a fresh step-up; the code from the new address changes it; the old address is told and other sessions end', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const other = await signIn(t, user);
    const newEmail = uniqueEmail('moved');
    t.clock.advance(11 * MINUTE);
    expect((await ask(t, user, newEmail)).body.error).toBe('step_up_required');
    expect((await user.client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    const asked = await ask(t, user, newEmail.toUpperCase());
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body).toMatchObject({ status: 'code_sent', newEmail });
    expect(cancelToken((await lastMail(t, user.email, SUBJECTS.emailChangeRequested)).text)).not.toBe('');
    const code = sixDigits(await lastMail(t, newEmail, SUBJECTS.confirmNewEmail));

    const done = await user.client.post('/api/me/email/confirm', { code });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'email_changed', email: newEmail });
    expect(Date.parse(done.body.withdrawalsHeldUntil)).toBe(t.clock.now() + 24 * HOUR);
    expect((await user.client.get('/api/me')).body.user.email).toBe(newEmail);
    expect((await other.get('/api/me')).status).toBe(401);
    const alert = await lastMail(t, user.email, SUBJECTS.emailChanged);
    expect(cancelToken(alert.text)).not.toBe('');
    expect(lockTokens(alert)).toHaveLength(1);
    const row = await userRow(t, newEmail);
    expect((await holdsOf(t, row.id)).map((h) => h.reason)).toContain('email_changed');
    expect((await auditOf(t, 'account.email_changed')).at(-1)).toMatchObject({ user_id: row.id, actor_kind: 'user', actor_id: row.id });
    // Sign-in is by the new address now.
    expect((await t.client().post('/api/auth/login', { email: user.email, password: PASSWORD })).status).toBe(401);
    t.clock.advance(30_000); // the step-up's TOTP step is used up
    await signIn(t, { ...user, email: newEmail });
    expect((await user.client.post('/api/me/email/confirm', { code })).body.error).toBe('invalid_code');
  });

  it('answers a taken address exactly like a free one; its owner is told; no code can finish it', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const owner = await enrolledUser(t);
    const free = await ask(t, user, uniqueEmail('free'));
    const taken = await ask(t, user, owner.email);
    expect(taken.status).toBe(free.status);
    expect(Object.keys(taken.body).sort()).toEqual(Object.keys(free.body).sort());
    expect(taken.body).toMatchObject({ status: 'code_sent', newEmail: owner.email });
    expect(await mailsWithSubject(t, owner.email, SUBJECTS.confirmNewEmail)).toEqual([]);
    expect(await mailsWithSubject(t, owner.email, SUBJECTS.addressTaken)).toHaveLength(1);
    // The free address's code was withdrawn by the later request: nothing completes.
    for (let i = 0; i < 3; i++) expect((await user.client.post('/api/me/email/confirm', { code: String(100000 + i) })).body.error).toBe('invalid_code');
    expect((await userRow(t, owner.email)).id).not.toBe((await userRow(t, user.email)).id);
  });

  it('the old address’s link puts it back and locks the account for 7 days; not after', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const oldEmail = user.email;
    const newEmail = uniqueEmail('stolen');
    await ask(t, user, newEmail);
    await user.client.post('/api/me/email/confirm', { code: sixDigits(await lastMail(t, newEmail, SUBJECTS.confirmNewEmail)) });
    const token = cancelToken((await lastMail(t, oldEmail, SUBJECTS.emailChanged)).text);
    t.clock.advance(6 * DAY);
    expect((await t.client().post('/api/me/email/cancel', { token })).body).toEqual({ status: 'email_change_cancelled', reverted: true });
    const row = await userRow(t, oldEmail);
    expect(row.frozen_at).not.toBeNull();
    expect((await user.client.get('/api/me')).status).toBe(401);
    expect((await t.client().post('/api/me/email/cancel', { token })).body.error).toBe('invalid_token');
    expect((await auditOf(t, 'account.email_change_cancelled')).at(-1)).toMatchObject({ user_id: row.id, data: expect.stringContaining('"reverted":true') });

    const late = await enrolledUser(t);
    const later = uniqueEmail('later');
    await ask(t, late, later);
    await late.client.post('/api/me/email/confirm', { code: sixDigits(await lastMail(t, later, SUBJECTS.confirmNewEmail)) });
    const lateToken = cancelToken((await lastMail(t, late.email, SUBJECTS.emailChanged)).text);
    t.clock.advance(7 * DAY + MINUTE);
    expect((await t.client().post('/api/me/email/cancel', { token: lateToken })).body.error).toBe('invalid_token');
    expect((await userRow(t, later)).frozen_at).toBeNull();
  });

  it('cancelling a change still pending withdraws its code and locks the account; wrong codes use a code up', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const newEmail = uniqueEmail('pending');
    await ask(t, user, newEmail);
    const code = sixDigits(await lastMail(t, newEmail, SUBJECTS.confirmNewEmail));
    for (let i = 0; i < 5; i++) {
      const wrong = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      expect((await user.client.post('/api/me/email/confirm', { code: wrong })).body.error).toBe('invalid_code');
    }
    expect((await user.client.post('/api/me/email/confirm', { code })).body.error).toBe('invalid_code');
    await ask(t, user, newEmail);
    const fresh = sixDigits(await lastMail(t, newEmail, SUBJECTS.confirmNewEmail));
    const token = cancelToken((await lastMail(t, user.email, SUBJECTS.emailChangeRequested)).text);
    expect((await t.client().post('/api/me/email/cancel', { token })).status).toBe(200);
    expect((await userRow(t, user.email)).frozen_at).not.toBeNull();
    expect((await user.client.post('/api/me/email/confirm', { code: fresh })).status).toBe(401);
    expect((await ask(t, user, user.email)).status).toBe(401);
  });

  it('keeps the owner’s way back: a later change’s cancel link only locks, and nobody can sign up with the old address meanwhile', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const original = user.email;
    const first = uniqueEmail('attacker');
    await ask(t, user, first);
    await user.client.post('/api/me/email/confirm', { code: sixDigits(await lastMail(t, first, SUBJECTS.confirmNewEmail)) });
    const ownersLink = cancelToken((await lastMail(t, original, SUBJECTS.emailChanged)).text);
    // Someone signs up with the address the account gave up: answered as usual, but no account is made.
    expect((await t.client().post('/api/auth/register', { email: original, password: 'squatter-lantern-meadow-19', acceptTerms: true })).status).toBe(202);
    expect(await t.db.store.db.selectFrom('users').select('id').where('email', '=', original).execute()).toEqual([]);
    // The new address asks for yet another change and uses that request's own cancel link: it only locks.
    t.clock.advance(MINUTE);
    expect((await user.client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    await ask(t, user, uniqueEmail('third'));
    const attackersLink = cancelToken((await lastMail(t, first, SUBJECTS.emailChangeRequested)).text);
    expect((await t.client().post('/api/me/email/cancel', { token: attackersLink })).body).toEqual({ status: 'email_change_cancelled', reverted: false });
    expect((await userRow(t, first)).frozen_at).not.toBeNull();
    // The owner's link still puts the original address back.
    expect((await t.client().post('/api/me/email/cancel', { token: ownersLink })).status).toBe(200);
    expect((await userRow(t, original)).email).toBe(original);
  });

  it('takes the code only in the session that asked; links mailed to the old address die; a revert clears the anti-phishing code', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const original = user.email;
    expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue_Falcon-7' })).status).toBe(200);
    expect((await t.client().post('/api/auth/password/forgot', { email: original })).status).toBe(202);
    const resetLink = /reset-password\?token=([A-Za-z0-9_-]+)/.exec((await lastMail(t, original, SUBJECTS.resetPassword)).text)![1]!;
    const newEmail = uniqueEmail('moved');
    await ask(t, user, newEmail);
    const code = sixDigits(await lastMail(t, newEmail, SUBJECTS.confirmNewEmail));
    t.clock.advance(30_000);
    const elsewhere = await signIn(t, user);
    expect((await elsewhere.post('/api/me/email/confirm', { code })).body.error).toBe('invalid_code');
    expect((await user.client.post('/api/me/email/confirm', { code })).status).toBe(200);
    t.clock.advance(30_000);
    const reset = await t.client().post('/api/auth/password/reset', { token: resetLink, password: 'brand-new-harbor-lantern-12', method: 'totp', code: codeFor(t, user.secret) });
    expect(reset.status).toBe(400);
    const link = cancelToken((await lastMail(t, original, SUBJECTS.emailChanged)).text);
    expect((await t.client().post('/api/me/email/cancel', { token: link })).status).toBe(200);
    expect((await userRow(t, original)).anti_phishing_sealed).toBeNull();
  });

  it('counts a code’s wrong guesses before comparing: parallel guesses get no more than five', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const newEmail = uniqueEmail('guess');
    await ask(t, user, newEmail);
    const code = sixDigits(await lastMail(t, newEmail, SUBJECTS.confirmNewEmail));
    const wrong = Array.from({ length: 8 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(wrong.map((w) => user.client.post('/api/me/email/confirm', { code: w })));
    expect(answers.every((a) => a.body.error === 'invalid_code')).toBe(true);
    const row = await t.db.store.db.selectFrom('one_time_tokens').select('failed_attempts').where('purpose', '=', 'email_change_code').executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(5);
    expect((await user.client.post('/api/me/email/confirm', { code })).body.error).toBe('invalid_code');
  });
});
