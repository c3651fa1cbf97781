import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../../test/accounts.ts';
import { dialects } from '../../../test/harness.ts';
import { authorizeAs, Browser, codeFlowStart, oidcApps, REDIRECT_URI, relyingParty, type OidcTestApp } from '../../../test/oidc.ts';

describe.each(dialects)('OpenID Connect tokens on %s', (dialect) => {
  const app = oidcApps(dialect);

  /** A signed-in user's tokens for a registered app. */
  async function signedInTokens(t: OidcTestApp, rp: Awaited<ReturnType<typeof relyingParty>>, params: Record<string, string> = {}, options: { par?: boolean } = {}) {
    const user = await enrolledUser(t);
    const start = await codeFlowStart(rp.config, { scope: 'openid email offline_access', prompt: 'consent', ...params }, options);
    const back = await authorizeAs(new Browser(t.url).adopt(user.client), start.url);
    const tokens = await oidc.authorizationCodeGrant(rp.config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });
    return { user, tokens, start };
  }

  it('rotates refresh tokens; a reused one revokes the grant and every token of it', async () => {
    const t = await app();
    const rp = await relyingParty(t);
    const { tokens } = await signedInTokens(t, rp);
    const first = tokens.refresh_token!;
    const refreshed = await oidc.refreshTokenGrant(rp.config, first);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(first);
    expect((await oidc.tokenIntrospection(rp.config, refreshed.access_token)).active).toBe(true);

    // The first refresh token again: refused, and the grant is gone with what it issued.
    await expect(oidc.refreshTokenGrant(rp.config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(rp.config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(rp.config, refreshed.access_token)).active).toBe(false);
    // The revoked grant is an audit event (written as the provider reports it: tracked work).
    await t.deps.later.idle();
    const revoked = await t.deps.store.db.selectFrom('audit_events').select(['user_id', 'data']).where('type', '=', 'oidc.grant_revoked').execute();
    expect(revoked).toHaveLength(1);
    expect(JSON.parse(revoked[0]!.data)).toMatchObject({ clientId: rp.clientId, route: 'token' });
    expect(revoked[0]!.user_id).toBe(tokens.claims()!.sub);
  });

  it('spends a refresh token once when it is presented many times at once: the grant goes with it', async () => {
    const t = await app();
    const rp = await relyingParty(t);
    const { tokens } = await signedInTokens(t, rp);
    const attempts = await Promise.allSettled(Array.from({ length: 10 }, () => oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)));
    const won = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    expect(won.length).toBeLessThanOrEqual(1);
    expect(attempts.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason?.error === 'invalid_grant')).toBe(true);
    // A reuse: whatever the one that got through was given is revoked too.
    for (const answer of won) await expect(oidc.refreshTokenGrant(rp.config, answer.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(rp.config, tokens.access_token)).active).toBe(false);
  });

  it('lets an app introspect and revoke only its own tokens', async () => {
    const t = await app();
    const rp = await relyingParty(t);
    const other = await relyingParty(t, { name: 'Other app' });
    const { tokens } = await signedInTokens(t, rp);
    expect((await oidc.tokenIntrospection(other.config, tokens.access_token)).active).toBe(false);
    await oidc.tokenRevocation(other.config, tokens.access_token).catch(() => undefined);
    expect((await oidc.tokenIntrospection(rp.config, tokens.access_token)).active).toBe(true);
  });

  it('names only BASE_URL in its metadata, whatever X-Forwarded-* a client sends', async () => {
    const t = await app({ TRUST_PROXY: '10.0.0.1' });
    for (const path of ['/oidc/.well-known/openid-configuration', '/.well-known/openid-configuration']) {
      const answer = await fetch(`${t.url}${path}`, { headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', forwarded: 'host=evil.example;proto=https' } });
      expect(answer.status).toBe(200);
      const metadata = (await answer.json()) as Record<string, unknown>;
      expect(metadata.issuer).toBe(t.issuer);
      const urls = Object.values(metadata).filter((v): v is string => typeof v === 'string' && /^https?:/.test(v));
      expect(urls.length).toBeGreaterThan(5);
      for (const url of urls) expect(url.startsWith(t.url), url).toBe(true);
    }
  });

  it('introspects and revokes tokens; a revoked access token is inactive and fails userinfo', async () => {
    const t = await app();
    const rp = await relyingParty(t);
    const { tokens } = await signedInTokens(t, rp);
    const live = await oidc.tokenIntrospection(rp.config, tokens.access_token);
    expect(live).toMatchObject({ active: true, client_id: rp.clientId, token_type: 'Bearer' });
    expect(live.scope?.split(' ')).toContain('email');
    await oidc.tokenRevocation(rp.config, tokens.access_token);
    expect((await oidc.tokenIntrospection(rp.config, tokens.access_token)).active).toBe(false);
    await expect(oidc.fetchUserInfo(rp.config, tokens.access_token, oidc.skipSubjectCheck)).rejects.toThrow();
    await oidc.tokenRevocation(rp.config, tokens.refresh_token!);
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('takes pushed authorization requests (PAR)', async () => {
    const t = await app();
    const rp = await relyingParty(t);
    const { tokens, start } = await signedInTokens(t, rp, {}, { par: true });
    expect(start.url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(start.url.searchParams.get('redirect_uri')).toBeNull();
    expect(tokens.claims()?.sub).toBeTruthy();
  });

  it('issues client-credentials tokens to a back-end service, and only with its secret', async () => {
    const t = await app();
    const service = await relyingParty(t, { name: 'Ledger service', redirectUris: [], clientCredentials: true });
    const tokens = await oidc.clientCredentialsGrant(service.config, {});
    expect(tokens.access_token).toBeTruthy();
    expect(await oidc.tokenIntrospection(service.config, tokens.access_token)).toMatchObject({ active: true, client_id: service.clientId });

    const wrong = new oidc.Configuration(service.config.serverMetadata(), service.clientId, undefined, oidc.ClientSecretBasic('not-the-secret'));
    oidc.allowInsecureRequests(wrong);
    await expect(oidc.clientCredentialsGrant(wrong, {})).rejects.toMatchObject({ status: 401, cause: [{ parameters: { error: 'invalid_client' } }] });
    // The stored hash is no secret either.
    const row = await t.deps.store.db.selectFrom('oidc_clients').select('secret_hash').where('id', '=', service.clientId).executeTakeFirstOrThrow();
    const withHash = new oidc.Configuration(service.config.serverMetadata(), service.clientId, undefined, oidc.ClientSecretBasic(row.secret_hash!));
    oidc.allowInsecureRequests(withHash);
    await expect(oidc.clientCredentialsGrant(withHash, {})).rejects.toMatchObject({ status: 401, cause: [{ parameters: { error: 'invalid_client' } }] });
  });

  it('a public client signs in with PKCE and no secret; without PKCE, or with another redirect URI, it is refused', async () => {
    const t = await app();
    const rp = await relyingParty(t, { public: true });
    expect(rp.secret).toBeNull();
    const { tokens } = await signedInTokens(t, rp);
    expect(tokens.refresh_token).toBeTruthy();
    // Public clients' refresh tokens rotate too.
    expect((await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).refresh_token).not.toBe(tokens.refresh_token);

    const browser = new Browser(t.url);
    const noPkce = oidc.buildAuthorizationUrl(rp.config, { redirect_uri: REDIRECT_URI, scope: 'openid', state: 'x' });
    const refused = await browser.follow(noPkce.href);
    expect(refused.searchParams.get('error')).toBe('invalid_request');
    const plain = oidc.buildAuthorizationUrl(rp.config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    expect((await browser.follow(plain.href)).searchParams.get('error')).toBe('invalid_request');
    // A redirect URI not registered exactly is never redirected to.
    const other = await browser.request(oidc.buildAuthorizationUrl(rp.config, { redirect_uri: `${REDIRECT_URI}/other`, scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' }).href);
    expect(other.status).toBe(400);
    expect(other.headers.get('location')).toBeNull();
  });
});
