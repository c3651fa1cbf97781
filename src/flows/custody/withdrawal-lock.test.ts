/** Whether an account may withdraw now, and why not: identity, the security-change holds (with the test clock), the owner's lock and support's. */
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, signIn } from '../../../test/accounts.ts';
import { withdrawalAvailability } from './withdrawal-lock.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { staffMember } from '../../../test/kyc.ts';
import { db, userRow } from '../../../test/queries.ts';
import { HOUR, MINUTE } from '../../../test/time.ts';

describe.each(dialects)('withdrawal availability on %s', (dialect) => {
  const app = testApps(dialect);

  it('says why withdrawals are stopped and until when, in order: support, the owner, identity, a security hold', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const id = (await userRow(t, user.email)).id;
    const availability = async (client = user.client) => (await client.get('/api/withdrawals/availability')).body;
    // The mandatory first factor held nothing; the identity is not verified yet.
    expect(await availability()).toEqual({ allowed: false, reason: 'kyc_required', until: null, message: 'Verify your identity to withdraw.' });
    await db(t).updateTable('users').set({ kyc_level: 1 }).where('id', '=', id).execute();
    expect(await availability()).toEqual({ allowed: true, reason: null, until: null, message: null });

    // A security change holds withdrawals 24 hours, and the page can say so before anything is typed.
    t.clock.advance(11 * MINUTE);
    expect((await user.client.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, user.secret) })).status).toBe(200);
    expect((await user.client.put('/api/me/anti-phishing-code', { code: 'Blue_Falcon-7' })).status).toBe(200);
    const until = new Date(t.clock.now() + 24 * HOUR).toISOString();
    expect(await availability()).toEqual({ allowed: false, reason: 'security_hold', until, message: `Withdrawals unlock at ${until} because your anti-phishing code was changed.` });
    t.clock.advance(24 * HOUR);
    const later = await signIn(t, user);
    expect((await availability(later)).allowed).toBe(true);

    // The owner's lock, and support's (which comes first); no session lives through either, so the rule is asked directly.
    expect((await later.post('/api/me/lock')).status).toBe(200);
    expect((await withdrawalAvailability(t.deps, await userRow(t, user.email))).reason).toBe('frozen');
    const support = await staffMember(t, 'support');
    expect((await support.session.post(`/api/staff/users/${id}/lock`, { reason: 'Reported stolen phone' })).status).toBe(200);
    expect(await withdrawalAvailability(t.deps, await userRow(t, user.email))).toEqual({ allowed: false, reason: 'staff_locked', until: null, message: 'Withdrawals are stopped while support has locked your account.' });
  });
});
