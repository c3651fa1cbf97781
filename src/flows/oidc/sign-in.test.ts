import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { codeFor, enrolledUser, PASSWORD, registerVerified, signIn, uniqueEmail } from '../../../test/accounts.ts';
import { dialects } from '../../../test/harness.ts';
import { authorizeAs, Browser, codeFlowStart, oidcApps, REDIRECT_URI, relyingParty, uidOf } from '../../../test/oidc.ts';
import { MINUTE } from '../../clock.ts';

describe.each(dialects)('signing in to an app through Bastion on %s', (dialect) => {
  const app = oidcApps(dialect);

  const exchange = (config: oidc.Configuration, back: URL, start: Awaited<ReturnType<typeof codeFlowStart>>) =>
    oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });

  it('asks for consent once per app and scope set, remembers it in later sessions, and lists and revokes it under Connected apps', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const rp = await relyingParty(t, { name: 'NFT marketplace' });
    const browser = new Browser(t.url).adopt(user.client);
    let start = await codeFlowStart(rp.config);
    let at = await browser.follow(start.url.href);
    // Not signed in to Bastion: the page sends the user through Bastion's sign-in first.
    const anonymous = await new Browser(t.url).json(`/oidc/interaction/${uidOf(at)}/details`);
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.error).toBe('oidc_interaction_expired');
    const details = await browser.json(`/oidc/interaction/${uidOf(at)}/details`);
    expect(details.body).toMatchObject({ prompt: 'login', client: { id: rp.clientId, name: 'NFT marketplace' }, signedIn: true, stepUp: false });
    at = await browser.follow((await browser.json(`/oidc/interaction/${uidOf(at)}/login`, { method: 'POST' })).body.redirectTo);
    const consent = await browser.json(`/oidc/interaction/${uidOf(at)}/details`);
    expect(consent.body).toMatchObject({ prompt: 'consent', scopes: ['openid', 'email'] });
    const back = await browser.follow((await browser.json(`/oidc/interaction/${uidOf(at)}/consent`, { method: 'POST' })).body.redirectTo);
    expect((await exchange(rp.config, back, start)).claims()?.email).toBeUndefined(); // scope claims come from userinfo

    // Another Bastion session later (the provider's session gone with the browser): no consent asked.
    const later = new Browser(t.url).adopt(await signIn(t, user));
    start = await codeFlowStart(rp.config);
    const again = await authorizeAs(later, start.url, { consent: false });
    expect(again.href.startsWith(REDIRECT_URI)).toBe(true);
    await exchange(rp.config, again, start);
    // A wider scope set is asked about again.
    start = await codeFlowStart(rp.config, { scope: 'openid email kyc' });
    const wider = await authorizeAs(later, start.url, { consent: false });
    expect((await later.json(`/oidc/interaction/${uidOf(wider)}/details`)).body).toMatchObject({ prompt: 'consent' });

    const apps = await user.client.get('/api/me/connected-apps');
    expect(apps.body.apps).toEqual([expect.objectContaining({ clientId: rp.clientId, name: 'NFT marketplace', scopes: ['openid', 'email'] })]);
    expect((await user.client.delete(`/api/me/connected-apps/${rp.clientId}`)).body).toEqual({ status: 'revoked' });
    expect((await user.client.get('/api/me/connected-apps')).body.apps).toEqual([]);
    expect((await user.client.delete(`/api/me/connected-apps/${rp.clientId}`)).status).toBe(404);
    const types = (await t.deps.store.db.selectFrom('audit_events').select('type').where('type', 'like', 'oidc.%').execute()).map((e) => e.type);
    expect(types).toEqual(['oidc.consent_granted', 'oidc.app_revoked']);
  });

  it('a first-party app skips consent; an app never sees a Bastion session that ended', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const rp = await relyingParty(t, { firstParty: true });
    const browser = new Browser(t.url).adopt(user.client);
    const start = await codeFlowStart(rp.config);
    const back = await authorizeAs(browser, start.url, { consent: false });
    expect(back.href.startsWith(REDIRECT_URI)).toBe(true);
    await exchange(rp.config, back, start);
    const granted = await t.deps.store.db.selectFrom('audit_events').select('data').where('type', '=', 'oidc.consent_granted').execute();
    expect(granted.map((g) => JSON.parse(g.data))).toEqual([{ clientId: rp.clientId, scopes: ['openid', 'email'], firstParty: true }]);
    // Signed in at the provider: the next request goes straight back to the app…
    expect((await browser.follow((await codeFlowStart(rp.config)).url.href)).href.startsWith(REDIRECT_URI)).toBe(true);
    // …until the Bastion session ends: then the app's sign-in asks again.
    expect((await user.client.post('/api/auth/logout')).status).toBeLessThan(300);
    const after = await browser.follow((await codeFlowStart(rp.config)).url.href);
    expect(after.pathname).toMatch(/^\/oidc\/interaction\//);
    expect((await browser.json(`/oidc/interaction/${uidOf(after)}/details`)).body).toMatchObject({ prompt: 'login', signedIn: false });
    expect((await browser.json(`/oidc/interaction/${uidOf(after)}/login`, { method: 'POST' })).status).toBe(401);
  });

  it('signs in only a full Bastion session: a password without its second factor is not enough', async () => {
    const t = await app();
    const rp = await relyingParty(t);
    const client = t.client();
    const person = await registerVerified(t, uniqueEmail('half'), PASSWORD, client);
    const login = await client.post('/api/auth/login', person);
    expect(login.body.next).toEqual(['enroll_2fa']);
    // The restricted session (it may only enrol a second factor) is no sign-in for an app.
    const browser = new Browser(t.url).adopt(client);
    const at = await browser.follow((await codeFlowStart(rp.config)).url.href);
    expect((await browser.json(`/oidc/interaction/${uidOf(at)}/details`)).body).toMatchObject({ prompt: 'login', signedIn: false });
    const refused = await browser.json(`/oidc/interaction/${uidOf(at)}/login`, { method: 'POST' });
    expect([refused.status, refused.body.error]).toEqual([403, 'enroll_2fa_required']);
  });

  it('gives kyc_level only with the kyc scope', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const rp = await relyingParty(t);
    const start = await codeFlowStart(rp.config, { scope: 'openid email', prompt: 'consent' });
    const tokens = await exchange(rp.config, await authorizeAs(new Browser(t.url).adopt(user.client), start.url), start);
    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    expect(info).toMatchObject({ email: user.email, email_verified: true });
    expect(info).not.toHaveProperty('kyc_level');
    expect(tokens.claims()).not.toHaveProperty('kyc_level');
  });

  it('steps up for acr_values and max_age: a recent strong factor is asked for inside a live session', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const rp = await relyingParty(t, { firstParty: true });
    const browser = new Browser(t.url).adopt(user.client);
    const first = await codeFlowStart(rp.config);
    expect((await exchange(rp.config, await authorizeAs(browser, first.url), first)).claims()?.acr).toBe('urn:bastion:aal2:strong');

    t.clock.advance(11 * MINUTE); // past STEP_UP_MAX_AGE
    const start = await codeFlowStart(rp.config, { acr_values: 'urn:bastion:aal2:strong' });
    const at = await browser.follow(start.url.href);
    const uid = uidOf(at);
    expect((await browser.json(`/oidc/interaction/${uid}/details`)).body).toMatchObject({ prompt: 'login', stepUp: true });
    const refused = await browser.json(`/oidc/interaction/${uid}/login`, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'step_up_required', stepUp: { methods: ['totp'] } });
    expect((await browser.json('/api/auth/step-up', { method: 'POST', body: { method: 'totp', code: codeFor(t, user.secret) } })).status).toBe(200);
    const done = await browser.json(`/oidc/interaction/${uid}/login`, { method: 'POST' });
    expect(done.status).toBe(200);
    const tokens = await exchange(rp.config, await browser.follow(done.body.redirectTo), start);
    expect(tokens.claims()).toMatchObject({ acr: 'urn:bastion:aal2:strong', amr: ['pwd', 'otp', 'mfa'] });
    expect(tokens.claims()!.auth_time).toBe(Math.floor(t.clock.now() / 1000));

    // max_age: five minutes later, an app asking for a sign-in within the last minute gets a step-up.
    t.clock.advance(5 * MINUTE);
    const fresh = await codeFlowStart(rp.config, { max_age: '60' });
    const stepAt = await browser.follow(fresh.url.href);
    expect((await browser.json(`/oidc/interaction/${uidOf(stepAt)}/details`)).body).toMatchObject({ prompt: 'login', stepUp: true });
    t.clock.advance(30_000);
    expect((await browser.json('/api/auth/step-up', { method: 'POST', body: { method: 'totp', code: codeFor(t, user.secret) } })).status).toBe(200);
    const finished = await browser.json(`/oidc/interaction/${uidOf(stepAt)}/login`, { method: 'POST' });
    const claims = (await exchange(rp.config, await browser.follow(finished.body.redirectTo), fresh)).claims()!;
    expect(claims.auth_time).toBe(Math.floor(t.clock.now() / 1000));
    // prompt=login: a sign-in now, never the session's earlier one.
    t.clock.advance(2 * MINUTE);
    const again = await codeFlowStart(rp.config, { prompt: 'login' });
    const againAt = await browser.follow(again.url.href);
    expect((await browser.json(`/oidc/interaction/${uidOf(againAt)}/details`)).body).toMatchObject({ prompt: 'login', stepUp: true });
    expect((await browser.json(`/oidc/interaction/${uidOf(againAt)}/login`, { method: 'POST' })).status).toBe(403);
    expect((await browser.json('/api/auth/step-up', { method: 'POST', body: { method: 'totp', code: codeFor(t, user.secret) } })).status).toBe(200);
    const relogged = await browser.json(`/oidc/interaction/${uidOf(againAt)}/login`, { method: 'POST' });
    expect(relogged.status).toBe(200);
    expect((await exchange(rp.config, await browser.follow(relogged.body.redirectTo), again)).claims()!.auth_time).toBe(Math.floor(t.clock.now() / 1000));
    // Without max_age or acr_values, no step-up: the same session signs in at once.
    expect((await browser.follow((await codeFlowStart(rp.config)).url.href)).href.startsWith(REDIRECT_URI)).toBe(true);
  });
});
