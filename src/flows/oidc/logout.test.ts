import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { enrolledUser, signIn } from '../../../test/accounts.ts';
import { dialects } from '../../../test/harness.ts';
import { authorizeAs, backchannelReceiver, Browser, codeFlowStart, listeningApp, relyingParty, type OidcTestApp } from '../../../test/oidc.ts';
import { endLapsedAppSessions } from '../../account/app-sessions.ts';
import { securityChanged } from '../../account/security-change.ts';
import { sweepOnce } from '../../server.ts';
import { inTransaction } from '../../store/database.ts';

describe.each(dialects)('app sessions end with Bastion’s on %s', (dialect) => {
  let t: OidcTestApp | undefined;
  let receiver: Awaited<ReturnType<typeof backchannelReceiver>> | undefined;
  afterEach(async () => {
    await t?.close();
    await receiver?.close();
    t = undefined;
  });

  async function signedInApp() {
    t = await listeningApp(dialect);
    receiver = await backchannelReceiver();
    const user = await enrolledUser(t);
    const rp = await relyingParty(t, { backchannelLogoutUri: receiver.uri });
    const start = await codeFlowStart(rp.config, { scope: 'openid email offline_access', prompt: 'consent' });
    const browser = new Browser(t.url).adopt(user.client);
    const back = await authorizeAs(browser, start.url);
    const tokens = await oidc.authorizationCodeGrant(rp.config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });
    return { user, rp, tokens, browser };
  }

  /** The logout token received, its signature checked against the provider's JWKS. */
  async function verifiedLogoutToken(clientId: string) {
    // The node sends due notices every second; the test does not wait for it.
    for (let i = 0; i < 50 && receiver!.tokens.length === 0; i++) await t!.app.oidc.sendLogouts();
    expect(receiver!.tokens, JSON.stringify(await t!.deps.store.db.selectFrom('oidc_logouts').selectAll().execute())).toHaveLength(1);
    const jwks = createRemoteJWKSet(new URL(`${t!.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(receiver!.tokens[0]!, jwks, { issuer: t!.issuer, audience: clientId });
    expect(protectedHeader.alg).toBe('ES256');
    return payload;
  }

  it('freezing the account revokes grants and refresh tokens and sends a signed back-channel logout token', async () => {
    const { rp, tokens, browser } = await signedInApp();
    expect((await browser.json('/api/me/lock', { method: 'POST' })).status).toBe(200);
    const payload = await verifiedLogoutToken(rp.clientId);
    expect(payload.sub).toBe(tokens.claims()!.sub);
    expect(payload.sid).toBe(tokens.claims()!.sid);
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(payload.nonce).toBeUndefined();
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(rp.config, tokens.access_token)).active).toBe(false);
    const left = await t!.deps.store.db.selectFrom('oidc_payloads').select('model').where('account_id', '=', tokens.claims()!.sub).execute();
    expect(left).toEqual([]);
    const frozen = await t!.deps.store.db.selectFrom('audit_events').select('data').where('type', '=', 'account.frozen').executeTakeFirstOrThrow();
    expect(JSON.parse(frozen.data)).toMatchObject({ appsSignedOut: 1 });
    // Sent once: nothing more is due.
    expect(await t!.app.oidc.sendLogouts()).toBe(0);
  });

  const ALERTS = { account_locked_by_staff: { reason: 'a test' }, password_reset: { resetUrl: 'http://localhost/forgot-password' }, two_factor_reset: { heldUntil: Date.now() } };
  it.each(Object.keys(ALERTS) as (keyof typeof ALERTS)[])('%s ends the app sessions and grants the same way', async (kind) => {
    const { user, rp, tokens } = await signedInApp();
    const subject = { id: tokens.claims()!.sub, email: user.email };
    await inTransaction(t!.deps.store.db, (tx) => securityChanged(t!.deps, tx, { kind, subject, actor: { kind: 'system' }, client: null, alert: ALERTS[kind] as never }));
    expect((await verifiedLogoutToken(rp.clientId)).sub).toBe(subject.id);
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a change that ends the other sessions keeps the apps of this one, and ends those of the others', async () => {
    const { user, rp, tokens } = await signedInApp();
    const subject = { id: tokens.claims()!.sub, email: user.email };
    const [browserSession] = await t!.deps.store.db.selectFrom('sessions').select('id').where('user_id', '=', subject.id).where('revoked_at', 'is', null).execute();
    const change = (keepSessionId: string | undefined) =>
      inTransaction(t!.deps.store.db, (tx) => securityChanged(t!.deps, tx, { kind: 'password_changed', subject, actor: { kind: 'user', id: subject.id }, client: null, keepSessionId, alert: { resetUrl: 'http://localhost/forgot-password' } }));
    await change(browserSession!.id);
    expect(await t!.app.oidc.sendLogouts()).toBe(0);
    const refreshed = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    // Changed from another session: the browser's session ends, and its app session with it, and what
    // the app was given through it: a stolen session's refresh token does not outlive a password change.
    await change('another-session');
    expect((await verifiedLogoutToken(rp.clientId)).sid).toBe(tokens.claims()!.sid);
    await expect(oidc.refreshTokenGrant(rp.config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(rp.config, refreshed.access_token)).active).toBe(false);
  });

  it('ending a session from the security center signs its browser out of its apps', async () => {
    const { user, rp, tokens, browser } = await signedInApp();
    const other = await signIn(t!, user);
    const sessions = await other.get('/api/me/sessions');
    const target = sessions.body.sessions.find((s: { current: boolean }) => !s.current);
    expect((await other.delete(`/api/me/sessions/${target.id}`)).status).toBe(200);
    expect((await verifiedLogoutToken(rp.clientId)).sid).toBe(tokens.claims()!.sid);
    expect((await browser.json('/api/me')).status).toBe(401);
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('signing out of Bastion signs this browser out of its apps (back-channel), keeping what was allowed', async () => {
    const { rp, tokens, browser } = await signedInApp();
    expect((await browser.json('/api/auth/logout', { method: 'POST' })).status).toBe(200);
    expect((await verifiedLogoutToken(rp.clientId)).sid).toBe(tokens.claims()!.sid);
    const grants = await t!.deps.store.db.selectFrom('oidc_payloads').select('id').where('model', '=', 'Grant').execute();
    expect(grants).toHaveLength(1);
    // The refresh token asked for offline_access: it outlives the sign-in, as the app was allowed.
    expect((await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).access_token).toBeTruthy();
  });

  const links = () => t!.deps.store.db.selectFrom('oidc_session_links').select(['uid', 'bastion_session_id']).execute();
  const endedEvents = async () =>
    (await t!.deps.store.db.selectFrom('audit_events').select(['user_id', 'actor_kind', 'data']).where('type', '=', 'oidc.app_sessions_ended').execute()).map((e) => ({ ...e, data: JSON.parse(e.data) }));

  it('a Bastion session that lapses (idle too long) ends its app sessions at the next sweep, keeping what was allowed and another session’s apps', async () => {
    const { user, rp, tokens } = await signedInApp();
    // The link is written as the app's sign-in succeeds, a moment after it.
    await t!.deps.later.idle();
    const [link] = await links();
    expect(link).toBeDefined();
    // While the session lives, the sweep leaves its apps alone.
    expect(await sweepOnce(t!.deps)).toBe(true);
    expect(await t!.app.oidc.sendLogouts()).toBe(0);
    expect(await links()).toHaveLength(1);

    // Another browser signs in later; its session is still live when the first one lapses.
    const idle = t!.deps.config.session.idleTimeoutMs;
    t!.clock.advance(idle - 5 * 60_000);
    const other = await signIn(t!, user);
    const otherSession = (await other.get('/api/me')).body.session.id as string;
    await t!.deps.store.db.insertInto('oidc_session_links').values({ uid: 'another-browser', account_id: tokens.claims()!.sub, bastion_session_id: otherSession, created_at: t!.clock.now() }).execute();
    t!.clock.advance(5 * 60_000);
    expect(await sweepOnce(t!.deps)).toBe(true);
    expect((await verifiedLogoutToken(rp.clientId)).sid).toBe(tokens.claims()!.sid);
    expect((await links()).map((l) => l.uid)).toEqual(['another-browser']);
    const grants = await t!.deps.store.db.selectFrom('oidc_payloads').select('id').where('model', '=', 'Grant').execute();
    expect(grants).toHaveLength(1);
    expect((await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).access_token).toBeTruthy();
    expect(await endedEvents()).toEqual([{ user_id: tokens.claims()!.sub, actor_kind: 'system', data: { sessions: { [link!.bastion_session_id]: 'idle' }, appsTold: 1 } }]);
    // Told once: the next sweep finds nothing more.
    expect(await endLapsedAppSessions(t!.deps)).toBe(0);
  });

  it('a session revoked before its app session was linked loses its app sessions and their tokens at the next sweep; one past its lifetime its app sessions', async () => {
    const { user, rp, tokens } = await signedInApp();
    await t!.deps.later.idle();
    const [link] = await links();
    // The revocation raced the link: the session is revoked, its app session still linked.
    await t!.deps.store.db.updateTable('sessions').set({ revoked_at: t!.clock.now() }).where('id', '=', link!.bastion_session_id).execute();
    // And a link to a session past its lifetime (only the link: the sweep ends what there is of it).
    const old = await t!.deps.store.db.selectFrom('sessions').selectAll().where('id', '=', link!.bastion_session_id).executeTakeFirstOrThrow();
    await t!.deps.store.db.insertInto('sessions').values({ ...old, id: 'an-old-session', token_hash: 'not-a-token', revoked_at: null, expires_at: t!.clock.now() }).execute();
    await t!.deps.store.db.insertInto('oidc_session_links').values({ uid: 'an-old-browser', account_id: tokens.claims()!.sub, bastion_session_id: 'an-old-session', created_at: t!.clock.now() }).execute();

    expect(await endLapsedAppSessions(t!.deps)).toBe(2);
    expect((await verifiedLogoutToken(rp.clientId)).sid).toBe(tokens.claims()!.sid);
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(rp.config, tokens.access_token)).active).toBe(false);
    expect(await links()).toEqual([]);
    expect((await endedEvents()).map((e) => e.data)).toEqual([{ sessions: { [link!.bastion_session_id]: 'revoked', 'an-old-session': 'expired' }, appsTold: 1 }]);
  });

  it('an app session that cannot be ended (its stored session unreadable) is logged and left, and the sweep goes on with the next batches', async () => {
    const { rp, tokens } = await signedInApp();
    await t!.deps.later.idle();
    const [link] = await links();
    const account = tokens.claims()!.sub;
    // A broken app session linked to a Bastion session that is gone, and the real one lapsed (idle).
    await t!.deps.store.db
      .insertInto('oidc_payloads')
      .values({ model: 'Session', id: 'broken', payload: 'not json', grant_id: null, user_code: null, uid: 'broken', account_id: account, client_id: null, expires_at: null, consumed_at: null, session_uid: null })
      .execute();
    await t!.deps.store.db.insertInto('oidc_session_links').values({ uid: 'broken', account_id: account, bastion_session_id: 'a-gone-session', created_at: t!.clock.now() }).execute();
    t!.clock.advance(t!.deps.config.session.idleTimeoutMs);

    // One link a batch: whichever comes first, the broken one does not stop the other.
    expect(await endLapsedAppSessions(t!.deps, 1)).toBe(1);
    expect((await verifiedLogoutToken(rp.clientId)).sid).toBe(tokens.claims()!.sid);
    expect((await links()).map((l) => l.uid)).toEqual(['broken']);
    expect((await endedEvents()).map((e) => e.data)).toEqual([{ sessions: { [link!.bastion_session_id]: 'idle' }, appsTold: 1 }]);
  });

  it('RP-initiated logout: "sign me out" ends the provider session and the Bastion session of this browser', async () => {
    const { user, rp, tokens, browser } = await signedInApp();
    const end = oidc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token! });
    const page = await browser.request(end.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    const action = /action="([^"]+)"/.exec(html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const done = await browser.request(action, { method: 'POST', form: { xsrf, logout: 'yes' } });
    expect(done.status).toBe(303);
    // The browser's cookie is cleared at once; the session itself ends on the server a moment later.
    expect((await browser.json('/api/me')).status).toBe(401);
    await t!.deps.later.idle();
    expect((await user.client.get('/api/me')).status).toBe(401);
    // The app was told over the back channel by the provider itself.
    expect(receiver!.tokens).toHaveLength(1);
  });
});
