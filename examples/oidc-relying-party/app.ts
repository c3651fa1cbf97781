/**
 * An example app that signs its users in through Bastion (OpenID Connect, with openid-client v6):
 * the Authorization Code flow with PKCE, the ID token's claims shown on its page, refresh, sign-out
 * everywhere (RP-initiated logout) and back-channel logout (Bastion ends this app's session when the
 * user's Bastion session ends or the account is locked). Sessions are kept in memory: an example.
 *
 *   BASTION_ISSUER=http://localhost:3000/oidc CLIENT_ID=… CLIENT_SECRET=… node --import tsx examples/oidc-relying-party/main.ts
 */
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';

export interface ExampleOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This app's own URL (its redirect URI is `${baseUrl}/callback`). */
  baseUrl: string;
}

interface Signin {
  verifier: string;
  state: string;
  nonce: string;
}

interface Session {
  claims: oidc.IDToken;
  idToken: string;
  refreshToken?: string | undefined;
  userinfo?: oidc.UserInfoResponse;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

export async function createExampleApp(options: ExampleOptions): Promise<{ app: FastifyInstance; sessionCount: () => number }> {
  const insecure = new URL(options.issuer).protocol === 'http:';
  const config = await oidc.discovery(new URL(options.issuer), options.clientId, options.clientSecret, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : undefined);
  const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
  const redirectUri = `${options.baseUrl}/callback`;
  const signins = new Map<string, Signin>();
  const sessions = new Map<string, Session>();

  const app = Fastify();
  await app.register(cookie);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
  const sessionOf = (id: string | undefined) => (id ? sessions.get(id) : undefined);

  app.get('/', async (request, reply) => {
    const session = sessionOf(request.cookies.example_session);
    reply.type('text/html');
    if (!session) return page('Example app', '<p>You are not signed in.</p><p><a href="/login">Sign in with Bastion</a></p>');
    const rows = Object.entries({ ...session.claims, ...session.userinfo })
      .map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td data-claim="${escape(k)}">${escape(JSON.stringify(v))}</td></tr>`)
      .join('');
    return page('Example app', `<p>Signed in as <strong data-testid="email">${escape(String(session.userinfo?.email ?? session.claims.sub))}</strong>.</p><table>${rows}</table><p><a href="/logout">Sign out everywhere</a></p>`);
  });

  app.get('/login', async (_request, reply) => {
    const id = randomBytes(16).toString('base64url');
    const signin = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
    signins.set(id, signin);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email kyc',
      code_challenge: await oidc.calculatePKCECodeChallenge(signin.verifier),
      code_challenge_method: 'S256',
      state: signin.state,
      nonce: signin.nonce,
    });
    return reply.setCookie('example_signin', id, { path: '/', httpOnly: true, sameSite: 'lax' }).redirect(url.href);
  });

  app.get('/callback', async (request, reply) => {
    const signin = signins.get(request.cookies.example_signin ?? '');
    if (!signin) return reply.code(400).type('text/html').send(page('Sign-in failed', '<p>Start again.</p>'));
    signins.delete(request.cookies.example_signin!);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(request.url, options.baseUrl), { pkceCodeVerifier: signin.verifier, expectedState: signin.state, expectedNonce: signin.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    const id = randomBytes(16).toString('base64url');
    sessions.set(id, { claims, idToken: tokens.id_token!, refreshToken: tokens.refresh_token, userinfo: await oidc.fetchUserInfo(config, tokens.access_token, claims.sub) });
    return reply.setCookie('example_session', id, { path: '/', httpOnly: true, sameSite: 'lax' }).clearCookie('example_signin', { path: '/' }).redirect('/');
  });

  // Signing out here signs out of Bastion and every app (Bastion asks the user to confirm).
  app.get('/logout', async (request, reply) => {
    const id = request.cookies.example_session;
    const session = sessionOf(id);
    if (id) sessions.delete(id);
    reply.clearCookie('example_session', { path: '/' });
    if (!session) return reply.redirect('/');
    return reply.redirect(oidc.buildEndSessionUrl(config, { id_token_hint: session.idToken, post_logout_redirect_uri: `${options.baseUrl}/` }).href);
  });

  // Back-channel logout: a logout token signed by Bastion ends the sessions of that sid (or sub).
  app.post('/backchannel-logout', async (request, reply) => {
    const token = (request.body as { logout_token?: string } | undefined)?.logout_token;
    if (!token) return reply.code(400).send();
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: config.serverMetadata().issuer, audience: options.clientId, maxTokenAge: '2 minutes' });
      const events = payload.events as Record<string, unknown> | undefined;
      if (!events?.['http://schemas.openid.net/event/backchannel-logout'] || 'nonce' in payload) return reply.code(400).send();
      for (const [id, session] of sessions) if (session.claims.sid === payload.sid || (!payload.sid && session.claims.sub === payload.sub)) sessions.delete(id);
      return reply.code(200).send();
    } catch {
      return reply.code(400).send();
    }
  });
  return { app, sessionCount: () => sessions.size };
}
