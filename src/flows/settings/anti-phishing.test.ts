/** The anti-phishing code: step-up to set it, what it may be, sealed at rest, shown atop every later email, removal; each change mailed, held and audited. */
import { describe, expect, it } from 'vitest';
import { enrolledUser, PASSWORD, signIn, signInWithEmailCode, uniqueEmail } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { firstLine, lastMail, mailsWithSubject, SUBJECTS } from '../../../test/mail.ts';
import { auditOf, userRow } from '../../../test/queries.ts';
import { resetToken } from '../../../test/recovery.ts';
import { DAY, MINUTE } from '../../../test/time.ts';

const HINT = 'set an anti-phishing code';

describe.each(dialects)('security center on %s', (dialect) => {
  const app = testApps(dialect, { LOGIN_IP_LIMIT: '1000' });

  describe('anti-phishing code', () => {
    it('needs a fresh step-up: a session from an emailed code gets 403, a TOTP sign-in may set it (for 10 minutes)', async () => {
      const t = await app();
      const user = await enrolledUser(t);

      const weak = await signInWithEmailCode(t, user);
      const put = await weak.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' });
      expect(put.status).toBe(403);
      expect(put.body.error).toBe('step_up_required');
      const del = await weak.delete('/api/me/anti-phishing-code');
      expect(del.status).toBe(403);
      expect(del.body.error).toBe('step_up_required');
      expect((await userRow(t, user.email)).anti_phishing_sealed).toBeNull();

      const strong = await signIn(t, user);
      const ok = await strong.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toEqual({ status: 'set' });
      expect((await strong.get('/api/me')).body.security.antiPhishingCodeSet).toBe(true);
      expect((await weak.get('/api/me')).body.security.antiPhishingCodeSet).toBe(true);

      // The TOTP sign-in's step-up is fresh for 10 minutes only.
      t.clock.advance(10 * MINUTE);
      const stale = await strong.put('/api/me/anti-phishing-code', { code: 'Other-Code' });
      expect(stale.status).toBe(403);
      expect(stale.body.error).toBe('step_up_required');

      expect((await t.client().put('/api/me/anti-phishing-code', { code: 'abcd' })).status).toBe(401);
    });

    it('accepts 4 to 20 letters, digits, _ or -; anything else is 400 naming the problem, and nothing changes', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const client = user.client; // fresh step-up from the enrollment
      const cases: [unknown, string, RegExp][] = [
        [{ code: 'abc' }, 'invalid_anti_phishing_code', /code: .*4 to 20/],
        [{ code: 'a'.repeat(21) }, 'invalid_anti_phishing_code', /code: .*4 to 20/],
        [{ code: 'has space' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: ' abcd' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: 'abcd\n' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: 'é'.repeat(5) }, 'invalid_anti_phishing_code', /code: /],
        [{ code: 'café' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: '<b>hi</b>' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: '' }, 'invalid_anti_phishing_code', /code: /],
        [{ code: 'x'.repeat(65) }, 'invalid_request', /code/],
        [{ code: 1234 }, 'invalid_request', /code/],
        [{}, 'invalid_request', /code/],
        [{ code: 'abcd', extra: 1 }, 'invalid_request', /extra/],
      ];
      for (const [body, error, message] of cases) {
        const res = await client.put('/api/me/anti-phishing-code', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error, JSON.stringify(body)).toBe(error);
        expect(res.body.message, JSON.stringify(body)).toMatch(message);
      }
      expect((await userRow(t, user.email)).anti_phishing_sealed).toBeNull();
      expect(await t.db.store.db.selectFrom('withdrawal_holds').selectAll().execute()).toEqual([]);
      expect(await mailsWithSubject(t, user.email, SUBJECTS.antiPhishingChanged)).toHaveLength(0);

      // The limits themselves are fine.
      for (const code of ['abcd', 'A1_-'.repeat(5)]) {
        const res = await client.put('/api/me/anti-phishing-code', { code });
        expect(res.status, code).toBe(200);
      }
    });

    it('is stored sealed, the change email shows it, and every later email starts with it', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const code = 'Blue-Falcon_42';

      // Before: the slot is a hint.
      await resetToken(t, user.email);
      const before = await lastMail(t, user.email, SUBJECTS.resetPassword);
      expect(firstLine(before)).toContain(HINT);
      expect(before.html).toContain(HINT);

      expect((await user.client.put('/api/me/anti-phishing-code', { code })).status).toBe(200);
      const sealed = (await userRow(t, user.email)).anti_phishing_sealed;
      expect(sealed).toMatch(/^v1\.k1\./);
      expect(sealed).not.toContain(code);
      expect(sealed).not.toContain(Buffer.from(code).toString('base64'));

      const changed = await lastMail(t, user.email, SUBJECTS.antiPhishingChanged);
      expect(changed.text).toContain(code);
      expect(firstLine(changed)).toBe(`Anti-phishing code: ${code}`);

      // A password-reset email...
      await resetToken(t, user.email);
      const reset = await lastMail(t, user.email, SUBJECTS.resetPassword);
      expect(firstLine(reset)).toBe(`Anti-phishing code: ${code}`);
      expect(reset.html).toContain(`Anti-phishing code: ${code}`);
      expect(reset.text).not.toContain(HINT);
      expect(reset.html).not.toContain(HINT);

      // ...and a sign-in code email.
      await signInWithEmailCode(t, user);
      const signInCode = await lastMail(t, user.email, SUBJECTS.signInCode);
      expect(firstLine(signInCode)).toBe(`Anti-phishing code: ${code}`);
      expect(signInCode.html).toContain(`Anti-phishing code: ${code}`);

      // Someone else's mail does not show it.
      const other = uniqueEmail();
      expect((await t.client().post('/api/auth/register', { email: other, password: PASSWORD, acceptTerms: true })).status).toBe(202);
      const theirs = (await t.mailTo(other)).at(-1)!;
      expect(firstLine(theirs)).toContain(HINT);
      expect(theirs.text).not.toContain(code);
      expect(theirs.html).not.toContain(code);

      // Changing it: the next email shows the new code, not the old one.
      t.clock.advance(MINUTE);
      expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Green-Otter-7' })).status).toBe(200);
      expect(firstLine(await lastMail(t, user.email, SUBJECTS.antiPhishingChanged))).toBe('Anti-phishing code: Green-Otter-7');
      await resetToken(t, user.email);
      const next = await lastMail(t, user.email, SUBJECTS.resetPassword);
      expect(firstLine(next)).toBe('Anti-phishing code: Green-Otter-7');
      expect(next.text).not.toContain(code);
    });

    it('holds withdrawals for 24 hours and records an audit event without the code', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const code = 'Blue-Falcon_42';
      const now = t.clock.now();
      expect((await user.client.put('/api/me/anti-phishing-code', { code })).status).toBe(200);

      const { id } = await userRow(t, user.email);
      const holds = await t.db.store.db.selectFrom('withdrawal_holds').selectAll().execute();
      expect(holds).toHaveLength(1);
      expect(holds[0]).toMatchObject({ user_id: id, reason: 'anti_phishing_changed' });
      expect(Number(holds[0]!.created_at)).toBe(now);
      expect(Number(holds[0]!.until)).toBe(now + DAY);

      const audit = await auditOf(t, 'security.anti_phishing_changed');
      expect(audit).toHaveLength(1);
      expect(audit[0]!.user_id).toBe(id);
      expect(JSON.stringify(audit[0])).not.toContain(code);
      expect(JSON.parse(String(audit[0]!.data)).withdrawalsHeldUntil).toBe(now + DAY);
    });

    it('removal brings the hint back, and is mailed, held and audited too', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue-Falcon_42' })).status).toBe(200);
      t.clock.advance(MINUTE);

      const del = await user.client.delete('/api/me/anti-phishing-code');
      expect(del.status).toBe(200);
      expect(del.body).toEqual({ status: 'removed' });
      expect((await userRow(t, user.email)).anti_phishing_sealed).toBeNull();
      expect((await user.client.get('/api/me')).body.security.antiPhishingCodeSet).toBe(false);

      const removed = await lastMail(t, user.email, SUBJECTS.antiPhishingRemoved);
      expect(firstLine(removed)).toContain(HINT);
      expect(removed.text).not.toContain('Blue-Falcon_42');
      await resetToken(t, user.email);
      const next = await lastMail(t, user.email, SUBJECTS.resetPassword);
      expect(firstLine(next)).toContain(HINT);
      expect(next.text).not.toContain('Blue-Falcon_42');
      expect(next.html).not.toContain('Blue-Falcon_42');

      expect(await auditOf(t, 'security.anti_phishing_removed')).toHaveLength(1);
      const reasons = (await t.db.store.db.selectFrom('withdrawal_holds').select(['reason', 'until']).orderBy('created_at').execute()).map((h) => h.reason);
      expect(reasons).toEqual(['anti_phishing_changed', 'anti_phishing_removed']);
    });
  });

  describe('removing a code that is not set', () => {
    it('changes nothing: no email, no withdrawal hold, no event', async () => {
      const t = await app();
      const user = await enrolledUser(t);
      const before = (await t.mailTo(user.email)).length;
      expect((await user.client.delete('/api/me/anti-phishing-code')).status).toBe(200);
      expect((await t.mailTo(user.email)).length).toBe(before);
      expect(await t.db.store.db.selectFrom('withdrawal_holds').selectAll().execute()).toHaveLength(0);
      expect(await t.db.store.db.selectFrom('audit_events').selectAll().where('type', '=', 'security.anti_phishing_removed').execute()).toHaveLength(0);
    });
  });
});
