/** The terms of service: accepted at sign-up, recorded with its version and time; a newer version is accepted at the next sign-in before anything else. */
import { describe, expect, it } from 'vitest';
import { enrolledUser, PASSWORD, registerVerified, signIn, uniqueEmail } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';

describe.each(dialects)('terms of service on %s', (dialect) => {
  const app = testApps(dialect);

  it('sign-up needs acceptTerms: true (the same answer for a taken address), and records the version and time on the account and in the audit', async () => {
    const t = await app({ TERMS_VERSION: '2026-12' });
    const taken = await enrolledUser(t);
    const email = uniqueEmail('terms');
    const takensMail = (await t.mailTo(taken.email)).length;
    for (const body of [{ email, password: PASSWORD }, { email, password: PASSWORD, acceptTerms: false }, { email: taken.email, password: PASSWORD }]) {
      const refused = await t.client().post('/api/auth/register', body);
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ error: 'terms_not_accepted', message: 'Accept the terms of service to create an account (acceptTerms: true).' });
    }
    expect(await db(t).selectFrom('users').select('email').where('email', '=', email).execute()).toEqual([]);
    expect(await t.mailTo(email)).toEqual([]);
    expect(await t.mailTo(taken.email)).toHaveLength(takensMail);
    expect((await t.client().post('/api/auth/register', { email, password: PASSWORD, acceptTerms: 'yes' })).status).toBe(400);

    expect((await t.client().post('/api/auth/register', { email, password: PASSWORD, acceptTerms: true })).status).toBe(202);
    const row = await userRow(t, email);
    expect(row).toMatchObject({ terms_version: '2026-12', terms_accepted_at: t.clock.now() });
    const registered = (await auditOf(t, 'account.registered')).find((e) => e.user_id === row.id);
    expect(JSON.parse(registered!.data)).toEqual({ termsVersion: '2026-12' });
    expect((await t.client().get('/api/app-info')).body.terms).toEqual({ url: 'http://localhost:3000/terms', version: '2026-12', placeholder: true });
    // Both in the OpenAPI document.
    const { paths } = (await t.client().get('/api/openapi.json')).body;
    expect(paths['/api/auth/register'].post.requestBody.content['application/json'].schema.properties.acceptTerms.type).toBe('boolean');
    expect(paths['/api/me/terms'].post.requestBody.content['application/json'].schema.required).toEqual(['version']);
    expect(Object.keys(paths['/api/me/terms'].post.responses)).toEqual(['200', '400', '401', '403', '409']);
  });

  it('an account that accepted an older version (or none) is asked at its next sign-in before anything else; accepting the current version lets it in, once', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const { id } = await userRow(t, user.email);
    for (const older of ['0', null]) {
      await db(t).updateTable('users').set({ terms_version: older, terms_accepted_at: older === null ? null : 1 }).where('id', '=', id).execute();
      const session = await signIn(t, user);
      const me = await session.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.terms).toEqual({ acceptedVersion: older, acceptedAt: older === null ? null : new Date(1).toISOString(), currentVersion: '1', url: 'http://localhost:3000/terms', mustAccept: true });
      // Everything else waits for the acceptance.
      for (const path of ['/api/me/activity', '/api/me/sessions', '/api/balances']) {
        const refused = await session.get(path);
        expect(refused.status, path).toBe(403);
        expect(refused.body.error).toBe('terms_not_accepted');
      }
      expect((await session.post('/api/me/2fa/totp/setup')).body.error).toBe('terms_not_accepted');
      const outdated = await session.post('/api/me/terms', { version: '0' });
      expect(outdated.status).toBe(409);
      expect(outdated.body.error).toBe('terms_version_outdated');
      expect((await session.post('/api/me/terms', {})).status).toBe(400);
      expect((await session.post('/api/me/terms', { version: '1' })).body).toEqual({ status: 'terms_accepted' });
      expect(await userRow(t, user.email)).toMatchObject({ terms_version: '1', terms_accepted_at: t.clock.now() });
      expect((await auditOf(t, 'terms.accepted')).at(-1)).toMatchObject({ user_id: id, actor_kind: 'user', actor_id: id, data: JSON.stringify({ version: '1', previous: older }) });
      expect((await session.get('/api/me/activity')).status).toBe(200);
      expect((await session.get('/api/me')).body.terms.mustAccept).toBe(false);
      // Accepted once: the next sign-in is not asked again, and accepting again records nothing more.
      const again = await signIn(t, user);
      expect((await again.get('/api/me')).body.terms.mustAccept).toBe(false);
      const accepted = (await auditOf(t, 'terms.accepted')).length;
      expect((await again.post('/api/me/terms', { version: '1' })).status).toBe(200);
      expect(await auditOf(t, 'terms.accepted')).toHaveLength(accepted);
    }
    // Signing out stays possible while the terms wait.
    await db(t).updateTable('users').set({ terms_version: '0' }).where('id', '=', id).execute();
    const pending = await signIn(t, user);
    expect((await pending.post('/api/auth/logout')).status).toBe(200);
    expect((await t.client().post('/api/me/terms', { version: '1' })).status).toBe(401);
  });

  it('when TERMS_VERSION changes, open sessions are held too; the password alone learns nothing of it; an account without its second factor accepts before it enrols; acceptances at once are recorded once', async () => {
    const t = await app({ TERMS_VERSION: '2026-06' });
    const user = await enrolledUser(t);
    const open = await signIn(t, user);
    const fresh = await registerVerified(t);
    // The operator publishes new terms (a restart with a new TERMS_VERSION).
    t.deps.config.terms.version = '2026-12';
    expect((await t.client().get('/api/app-info')).body.terms.version).toBe('2026-12');
    expect((await open.get('/api/me/activity')).body.error).toBe('terms_not_accepted');

    // The password of an account with a second factor: the usual answer, and no session to ask anything with.
    const c = t.client();
    const login = await c.post('/api/auth/login', { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect(JSON.stringify(login.body)).not.toMatch(/terms/i);
    expect((await c.get('/api/me')).status).toBe(401);
    expect((await c.post('/api/me/terms', { version: '2026-12' })).status).toBe(401);

    // No second factor yet: the restricted session accepts the terms first, then enrols.
    const r = t.client();
    expect((await r.post('/api/auth/login', fresh)).body.next).toEqual(['enroll_2fa']);
    expect((await r.post('/api/me/2fa/totp/setup')).body.error).toBe('terms_not_accepted');
    expect((await r.get('/api/me')).body).toMatchObject({ session: { restricted: true }, terms: { acceptedVersion: '2026-06', currentVersion: '2026-12', mustAccept: true } });
    expect((await r.post('/api/me/terms', { version: '2026-06' })).body.error).toBe('terms_version_outdated');
    expect((await r.post('/api/me/terms', { version: '2026-12' })).status).toBe(200);
    expect((await r.post('/api/me/2fa/totp/setup')).status).toBe(200);
    expect((await r.get('/api/me/activity')).body.error).toBe('enroll_2fa_required');

    // Two tabs accept at once: both answered, one change, one audit event.
    const { id } = await userRow(t, user.email);
    const both = await Promise.all([open.post('/api/me/terms', { version: '2026-12' }), open.post('/api/me/terms', { version: '2026-12' })]);
    expect(both.map((res) => res.status)).toEqual([200, 200]);
    expect((await auditOf(t, 'terms.accepted')).filter((e) => e.user_id === id).map((e) => JSON.parse(e.data))).toEqual([{ version: '2026-12', previous: '2026-06' }]);
    expect((await open.get('/api/me/activity')).status).toBe(200);
  });
});
