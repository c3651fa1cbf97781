import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { enrolledUser } from '../../../test/accounts.ts';
import { dialects } from '../../../test/harness.ts';
import { authorizeAs, Browser, codeFlowStart, oidcApps, REDIRECT_URI, relyingParty } from '../../../test/oidc.ts';

describe.each(dialects)('OpenID Connect code flow on %s', (dialect) => {
  const app = oidcApps(dialect);

  it('signs a user in with PKCE, validates the ID token, serves userinfo', async () => {
    const t = await app();
    const user = await enrolledUser(t);
    const { config } = await relyingParty(t);
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(['S256']);
    const root = (await (await fetch(`${t.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(root).toEqual(config.serverMetadata());
    expect(root).toMatchObject({ issuer: t.issuer, id_token_signing_alg_values_supported: ['ES256', 'RS256'], acr_values_supported: ['urn:bastion:aal2', 'urn:bastion:aal2:strong'] });
    expect(root.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'kyc', 'offline_access']));
    expect(root.pushed_authorization_request_endpoint).toBe(`${t.issuer}/request`);
    const browser = new Browser(t.url).adopt(user.client);
    const start = await codeFlowStart(config, { scope: 'openid email offline_access kyc', prompt: 'consent' });
    const back = await authorizeAs(browser, start.url);
    expect(back.href.startsWith(REDIRECT_URI)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    const userId = (await t.deps.store.db.selectFrom('users').select('id').where('email', '=', user.email).executeTakeFirstOrThrow()).id;
    expect(claims.sub).toBe(userId);
    expect(claims.sub).not.toContain('@');
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe('urn:bastion:aal2:strong');
    expect(typeof claims.auth_time).toBe('number');
    expect(tokens.refresh_token).toBeTruthy();
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: userId, email: user.email, email_verified: true, kyc_level: 0 });
  });
});
