/**
 * The staff console's API: who gets in (a staff role, the route's permission, a strong factor within
 * 15 minutes; a plain user gets 403 from every staff route), what support and admins may do to an
 * account (lock, unlock, end sessions, roles) and its limits (never on one's own account, an owner's
 * freeze stays), the audit log with its chain check, the outbox with its retry, and that every
 * staff action is one audit event with the staff member as actor and the user as subject.
 */
import { factorKey } from '../../account/locks.ts';
import { failInARow } from '../../../test/locks.ts';
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, signIn } from '../../../test/accounts.ts';
import { dialects, testApps } from '../../../test/harness.ts';
import { staffMember } from '../../../test/kyc.ts';
import { auditOf, db, userRow } from '../../../test/queries.ts';
import { MINUTE } from '../../../test/time.ts';
import { verifyChain } from '../../audit/verify.ts';
import { asDatabaseOwner } from '../../../test/database.ts';
import { inTransaction } from '../../store/database.ts';

/** Every staff route, with ids that need not exist (the guard answers first). */
const ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/staff/me'],
  ['GET', '/api/staff/users?query=a'],
  ['GET', '/api/staff/users/x'],
  ['POST', '/api/staff/users/x/lock', { reason: 'because' }],
  ['POST', '/api/staff/users/x/unlock', { nonsense: true }],
  ['POST', '/api/staff/users/x/sessions/revoke', {}],
  ['PUT', '/api/staff/users/x/role', { role: 'admin', reason: 'promote me' }],
  ['POST', '/api/staff/users/x/kyc/erase', { reason: 'because' }],
  ['GET', '/api/staff/kyc?status=bogus'],
  ['GET', '/api/staff/kyc/x'],
  ['GET', '/api/staff/kyc/x/files/selfie'],
  ['POST', '/api/staff/kyc/x/decision', { decision: 'approve', reason: 'fine' }],
  ['GET', '/api/staff/audit?from=notadate'],
  ['POST', '/api/staff/audit/verify', {}],
  ['GET', '/api/staff/outbox'],
  ['POST', '/api/staff/outbox/x/retry', {}],
  ['POST', '/api/staff/users/x/lock', '{not json'],
];

describe.each(dialects)('staff console API on %s', (dialect) => {
  const app = testApps(dialect);

  it('answers 401 without a session and 403 to a plain user on every staff route, before looking at the input', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    for (const [method, url, body] of ROUTES) {
      const pattern = url.split('?')[0]!.replace(/\/x(\/|$)/, '/:id$1').replace('/files/selfie', '/files/:item');
      expect(t.app.hasRoute({ method: method as 'GET', url: pattern }), pattern).toBe(true);
      expect((await t.client().request(method, url, body)).status, `${method} ${url}`).toBe(401);
      const res = await user.client.request(method, url, body);
      expect([res.status, res.body.error], `${method} ${url}`).toEqual([403, 'staff_only']);
    }
  });

  it('needs a strong factor within 15 minutes; support may not grant roles or erase; admins may', async () => {
    const t = await app();
    const support = await staffMember(t, 'support');
    const me = await support.session.get('/api/staff/me');
    expect(me.body).toMatchObject({ role: 'support', email: support.email });
    expect(me.body.permissions).toContain('kyc:decide');
    expect(me.body.permissions).not.toContain('users:set_role');
    t.clock.advance(16 * MINUTE);
    const stale = await support.session.get('/api/staff/me');
    expect(stale).toMatchObject({ status: 403, body: { error: 'staff_step_up_required', stepUp: { methods: ['totp'], endpoint: '/api/auth/step-up' } } });
    expect((await support.session.post('/api/auth/step-up', { method: 'totp', code: codeFor(t, support.secret) })).status).toBe(200);
    expect((await support.session.get('/api/staff/me')).status).toBe(200);

    const target = await enrolledUser(t);
    const targetId = (await userRow(t, target.email)).id;
    expect((await support.session.put(`/api/staff/users/${targetId}/role`, { role: 'support', reason: 'New hire' })).body.error).toBe('staff_permission_denied');
    expect((await support.session.post(`/api/staff/users/${targetId}/kyc/erase`, { reason: 'Asked to' })).body.error).toBe('staff_permission_denied');
    const admin = await staffMember(t, 'admin');
    const grant = await admin.session.put(`/api/staff/users/${targetId}/role`, { role: 'support', reason: 'New hire, ticket 12' });
    expect(grant.body).toEqual({ status: 'role_changed', role: 'support' });
    expect((await userRow(t, target.email)).staff_role).toBe('support');
    expect((await t.latestMail(target.email)).subject).toBe('Bastion: Your staff access changed');
    expect((await admin.session.put(`/api/staff/users/${admin.id}/role`, { role: null, reason: 'Leaving' })).body.error).toBe('staff_own_account');
    // A session that signed in with an emailed code has shown no strong factor: not enough for staff.
    const emailOnly = await enrolledUser(t);
    const emailOnlyRow = await userRow(t, emailOnly.email);
    await admin.session.put(`/api/staff/users/${emailOnlyRow.id}/role`, { role: 'support', reason: 'Needs access' });
    t.clock.advance(16 * MINUTE);
    expect((await emailOnly.client.get('/api/staff/me')).body.error).toBe('staff_step_up_required');
  });

  it('locks an account with a reason: sessions end, the owner is emailed, sign-in is refused after the password; unlocking lifts it and the lockouts', async () => {
    const t = await app();
    const support = await staffMember(t, 'support');
    const user = await enrolledUser(t);
    const userId = (await userRow(t, user.email)).id;
    const lock = await support.session.post(`/api/staff/users/${userId}/lock`, { reason: 'Reported a stolen phone' });
    expect(lock.body).toEqual({ status: 'locked' });
    expect((await user.client.get('/api/me')).status).toBe(401);
    const mail = await t.latestMail(user.email);
    expect(mail.subject).toBe('Bastion: Support locked your account');
    expect(mail.text).toContain('Reported a stolen phone');
    const refused = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
    expect(refused).toMatchObject({ status: 403, body: { error: 'account_locked_by_staff' } });
    // No security change during the lock: not even a password reset with the inbox and the authenticator.
    expect((await t.client().post('/api/auth/password/forgot', { email: user.email })).status).toBe(202);
    const reset = /reset-password\?token=([A-Za-z0-9_-]+)/.exec((await t.latestMail(user.email)).text)![1]!;
    const during = await t.client().post('/api/auth/password/reset', { token: reset, password: 'brand-new-harbor-lantern-12', method: 'totp', code: codeFor(t, user.secret) });
    expect(during).toMatchObject({ status: 403, body: { error: 'account_locked_by_staff' } });
    expect((await userRow(t, user.email)).password_changed_at).toBeNull();
    const wrong = await t.client().post('/api/auth/login', { email: user.email, password: 'not-the-password-at-all' });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_credentials' } });
    expect((await support.session.post(`/api/staff/users/${userId}/lock`, { reason: 'Again' })).status).toBe(409);
    const profile = (await support.session.get(`/api/staff/users/${userId}`)).body;
    expect(profile.status.staffLock).toMatchObject({ reason: 'Reported a stolen phone', by: support.id });
    expect(profile.factors.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['Authenticator app', 'Backup codes (10)']));
    expect(JSON.stringify(profile)).not.toContain(user.secret);

    // A hundred wrong authenticator codes in a row lock it for good; unlocking lifts every lock but the owner's freeze.
    await failInARow(t, factorKey(userId, 'totp'), 100);
    support.session = await signIn(t, support); // days went by: a fresh staff sign-in
    const login = await t.client().post('/api/auth/login', { email: user.email, password: 'still wrong' });
    expect(login.status).toBe(401);
    const withLocks = (await support.session.get(`/api/staff/users/${userId}`)).body;
    expect(withLocks.status.codeLocks).toEqual([{ method: 'totp', until: null, hard: true }]);
    const unlock = await support.session.post(`/api/staff/users/${userId}/unlock`, { reason: 'Owner called, identity checked' });
    expect(unlock.body).toEqual({ status: 'unlocked' });
    expect((await t.latestMail(user.email)).subject).toBe('Bastion: Support unlocked your account');
    await signIn(t, user);
    expect((await support.session.post(`/api/staff/users/${userId}/unlock`, { reason: 'Nothing to lift' })).body.error).toBe('account_not_locked');
    const [locked, unlocked] = [(await auditOf(t, 'staff.account_locked')).at(-1)!, (await auditOf(t, 'staff.account_unlocked')).at(-1)!];
    for (const event of [locked, unlocked]) expect(event).toMatchObject({ actor_kind: 'staff', actor_id: support.id, user_id: userId });
    expect(JSON.parse(locked.data)).toMatchObject({ reason: 'Reported a stolen phone' });
  });

  it('stops a sign-in that a staff lock overtook: no session is made after the lock committed', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const client = t.client();
    const login = await client.post('/api/auth/login', { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    // The lock commits while this sign-in is on its way (its flow was made after the lock ended sign-ins).
    await db(t).updateTable('users').set({ staff_locked_at: t.clock.now(), staff_lock_reason: 'Fraud report' }).where('email', '=', user.email).execute();
    const verify = await client.post('/api/auth/login/verify', { flow: login.body.flow, method: 'totp', code: codeFor(t, user.secret) });
    expect(verify).toMatchObject({ status: 403, body: { error: 'account_locked_by_staff' } });
    const sessions = await db(t).selectFrom('sessions').select('id').where('user_id', '=', (await userRow(t, user.email)).id).where('revoked_at', 'is', null).execute();
    expect(sessions).toHaveLength(1); // the enrolment session only
  });

  it('lifts failed-attempt lockouts but never an owner’s freeze, and never one’s own lock', async () => {
    const t = await app({ LOGIN_IP_LIMIT: '1000' });
    const support = await staffMember(t, 'support');
    const other = await staffMember(t, 'support');
    const user = await enrolledUser(t);
    const userId = (await userRow(t, user.email)).id;
    for (let i = 0; i < 5; i++) await t.client().post('/api/auth/login', { email: user.email, password: `wrong-password-${i}` });
    expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).body.error).toBe('account_locked');
    expect((await support.session.get(`/api/staff/users/${userId}`)).body.status.passwordLockedUntil).not.toBeNull();
    expect((await support.session.post(`/api/staff/users/${userId}/unlock`, { reason: 'Owner verified on a call' })).status).toBe(200);
    await signIn(t, user);

    // The owner's own freeze: only the owner's factors lift it.
    const session = await signIn(t, user);
    expect((await session.post('/api/me/lock', {})).status).toBeLessThan(300);
    expect((await support.session.post(`/api/staff/users/${userId}/unlock`, { reason: 'Asked by phone' })).body).toMatchObject({ error: 'account_not_locked' });
    expect((await userRow(t, user.email)).frozen_at).not.toBeNull();

    expect((await other.session.post(`/api/staff/users/${support.id}/lock`, { reason: 'Suspicious activity' })).status).toBe(200);
    const self = await staffMember(t, 'admin');
    await db(t).updateTable('users').set({ staff_locked_at: t.clock.now(), staff_lock_reason: 'x' }).where('id', '=', self.id).execute();
    // A locked staff member has no session at all; an admin who tries on their own account is refused.
    expect((await self.session.post(`/api/staff/users/${self.id}/unlock`, { reason: 'Let me in' })).status).toBe(401);
    await db(t).updateTable('users').set({ staff_locked_at: null }).where('id', '=', self.id).execute();
    const selfSession = await signIn(t, self);
    await t.deps.throttle.fail(`login:${self.email}`, { maxAttempts: 1, baseLockMs: MINUTE, maxLockMs: MINUTE }, 0);
    expect((await selfSession.post(`/api/staff/users/${self.id}/unlock`, { reason: 'Let me in' })).body.error).toBe('staff_own_account');
  });

  it('ends every session of an account; every staff action is in the chain with actor and subject, which verifies', async () => {
    const t = await app();
    const support = await staffMember(t, 'support');
    const user = await enrolledUser(t);
    const userId = (await userRow(t, user.email)).id;
    const second = await signIn(t, user);
    const revoke = await support.session.post(`/api/staff/users/${userId}/sessions/revoke`, { reason: 'Owner reported a lost laptop' });
    expect(revoke.body).toEqual({ status: 'sessions_revoked', count: 2 });
    for (const c of [user.client, second]) expect((await c.get('/api/me')).status).toBe(401);
    expect((await support.session.post(`/api/staff/users/${userId}/sessions/revoke`, {})).body.message).toMatch(/^reason:/);

    const log = await support.session.get(`/api/staff/audit?actor=${support.id}&subject=${userId}`);
    expect(log.body.events.map((e: { type: string }) => e.type)).toEqual(['staff.sessions_revoked']);
    expect(log.body.events[0]).toMatchObject({ actor: { kind: 'staff', id: support.id }, subject: userId, data: { reason: 'Owner reported a lost laptop', count: 2 } });
    const family = await support.session.get(`/api/staff/audit?type=staff.&subject=${userId}`);
    expect(family.body.events).toHaveLength(1);
    const future = await support.session.get(`/api/staff/audit?from=${new Date(t.clock.now() + MINUTE).toISOString()}`);
    expect(future.body.events).toEqual([]);
    expect((await support.session.get('/api/staff/audit?from=yesterday')).status).toBe(400);
    expect((await support.session.get('/api/staff/audit?cursor=bm9wZQ')).body.error).toBe('invalid_cursor');

    const verify = await support.session.post('/api/staff/audit/verify', {});
    // The console seals what is waiting first: the answer covers every event up to now.
    expect(verify.body).toMatchObject({ intact: true, pending: 0, firstBadSeq: null });
    expect(verify.body.rows).toBeGreaterThan(0);
    expect((await auditOf(t, 'staff.audit_verified')).at(-1)).toMatchObject({ actor_kind: 'staff', actor_id: support.id });
    await asDatabaseOwner(t.deps.store, () => db(t).updateTable('audit_events').set({ data: '{"reason":"edited"}' }).where('type', '=', 'staff.sessions_revoked').execute());
    const broken = await support.session.post('/api/staff/audit/verify', {});
    expect(broken.body).toMatchObject({ intact: false, reason: expect.stringMatching(/was changed/) });
    expect((await verifyChain(t.deps.store.db, t.deps.audit.keys)).intact).toBe(false);
  });

  it("says the log is not intact, with the sealer's reason, when the sealer refuses a cut tail", async () => {
    const t = await app();
    const support = await staffMember(t, 'support');
    expect((await support.session.post('/api/staff/audit/verify', {})).body).toMatchObject({ intact: true });
    // Someone with the tables' owner's rights removes the newest chain entries and their events.
    await asDatabaseOwner(t.deps.store, async () => {
      const last = Number((await db(t).selectFrom('audit_chain').select((eb) => eb.fn.max('position').as('p')).executeTakeFirstOrThrow()).p);
      const gone = await db(t).selectFrom('audit_chain').select('seq').where('position', '>=', last - 1).execute();
      await db(t).deleteFrom('audit_chain').where('position', '>=', last - 1).execute();
      await db(t).deleteFrom('audit_events').where('seq', 'in', gone.map((g) => Number(g.seq))).execute();
    });
    const refused = await support.session.post('/api/staff/audit/verify', {});
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ intact: false, firstBadSeq: null, reason: expect.stringMatching(/^not sealing: .*removed from its tail/) });
    // The check itself is still recorded: it waits to be sealed.
    expect((await auditOf(t, 'staff.audit_verified')).at(-1)).toMatchObject({ actor_id: support.id });
  });

  it('lists the outbox with delivery status and retries a failed message once', async () => {
    const t = await app();
    const support = await staffMember(t, 'support');
    await inTransaction(t.deps.store.db, (tx) => t.deps.mail.send(tx, 'login_code', 'nobody@example.com', { code: '123456', minutes: 10 }));
    await db(t).updateTable('outbox').set({ status: 'failed', attempts: 20, last_error: '550 mailbox unavailable' }).where('recipient', '=', 'nobody@example.com').execute();
    const failed = await support.session.get('/api/staff/outbox?status=failed');
    expect(failed.body.messages).toEqual([expect.objectContaining({ recipient: 'nobody@example.com', status: 'failed', attempts: 20, lastError: '550 mailbox unavailable' })]);
    expect(JSON.stringify(failed.body)).not.toContain('123456');
    const id = failed.body.messages[0].id;
    expect((await support.session.post(`/api/staff/outbox/${id}/retry`, {})).body.message).toMatch(/^reason:/);
    expect((await support.session.post(`/api/staff/outbox/${id}/retry`, { reason: 'SMTP relay fixed' })).body).toEqual({ status: 'queued' });
    await t.worker.drain();
    expect((await t.smtp.to('nobody@example.com')).map((m) => m.subject)).toEqual(['Bastion: Your sign-in code']);
    expect((await support.session.post(`/api/staff/outbox/${id}/retry`, { reason: 'Once more' })).body.error).toBe('message_already_sent');
    expect((await support.session.post('/api/staff/outbox/nope/retry', { reason: 'Once more' })).status).toBe(404);
    const retried = (await auditOf(t, 'staff.mail_retried')).at(-1)!;
    expect(retried).toMatchObject({ actor_kind: 'staff', actor_id: support.id });
    expect(JSON.parse(retried.data)).toMatchObject({ reason: 'SMTP relay fixed', messageId: id });
  });

  it('refuses control characters and foreign ids with 400, and finds an email with _ in it on both dialects', async () => {
    const t = await app();
    const support = await staffMember(t, 'support');
    const user = await enrolledUser(t, `first_last${Date.now()}@example.com`);
    const userId = (await userRow(t, user.email)).id;
    for (const url of ['/api/staff/users/%00', '/api/staff/users?query=%00', '/api/staff/kyc/%00', '/api/staff/audit?subject=%00', '/api/staff/audit?type=a%00', '/api/staff/kyc?cursor=' + Buffer.from('1:\u0000').toString('base64url')]) {
      const res = await support.session.get(url);
      expect([res.status, res.body.error], url).toEqual([400, expect.stringMatching(/^invalid_(request|cursor)$/)]);
    }
    expect((await support.session.post(`/api/staff/users/${userId}/lock`, { reason: 'abc\u0000def' })).status).toBe(400);
    const found = await support.session.get('/api/staff/users?query=first_last');
    expect(found.body.users.map((u: { id: string }) => u.id)).toEqual([userId]);
    expect((await support.session.get('/api/staff/users?query=first%25')).body.users).toEqual([]);
    expect((await auditOf(t, 'staff.users_searched')).at(-2)).toMatchObject({ actor_id: support.id, data: JSON.stringify({ found: [userId] }) });
  });

  it('keeps the console and its API out of caches and search engines', async () => {
    const t = await app();
    const support = await staffMember(t, 'support');
    const encoded = await support.session.get('/api/%73taff/me');
    expect(encoded.status).toBe(200);
    expect(encoded.headers['x-robots-tag']).toBe('noindex, nofollow');
    const page = await support.session.get('/staff/kyc');
    expect(page.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(page.headers['cache-control']).toBe('no-store');
    const api = await support.session.get('/api/staff/me');
    expect(api.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(api.headers['cache-control']).toBe('no-store');
  });
});
