/**
 * Bastion as an OpenID Connect provider, on oidc-provider (OpenID-certified): the Authorization Code
 * flow with PKCE (S256 only, required of every client: RFC 9700 §2.1.1), refresh tokens rotated on
 * every use with reuse detection (a refresh token used twice revokes its grant: RFC 9700 §4.14.2),
 * client credentials, PAR (RFC 9126), revocation (RFC 7009), introspection (RFC 7662), userinfo,
 * RP-initiated and back-channel logout. Only ES256 and RS256 sign; no HMAC algorithm is enabled, so a
 * client's stored secret hash is never a key (clients.ts). An app's sign-in only ever rides on a live
 * Bastion session in the same browser (the `bastion_session` check): the provider's own session
 * never outlives it, and a request for a fresh or strong sign-in (max_age, acr_values) sends the user
 * to the interaction, where Bastion asks for the passkey or authenticator (interaction.ts).
 */
import { createHmac } from 'node:crypto';
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { DAY } from '../../clock.ts';
import { findLiveSessionWithUser } from '../../account/sessions.ts';
import type { Deps } from '../../deps.ts';
import { adapterFactory } from './adapter.ts';
import { ACR_VALUES, findAccount, SCOPE_CLAIMS } from './claims.ts';
import { verifyClientSecret } from './clients.ts';
import { rememberedGrant } from './grants.ts';
import { logoutPage, loggedOutPage, renderErrorPage } from './pages.ts';
import { ID_TOKEN_TTL_S, loadSigningKeys } from './signing-keys.ts';
import { needsStepUp } from './step-up.ts';

export const OIDC_PREFIX = '/oidc';
export const INTERACTION_PREFIX = `${OIDC_PREFIX}/interaction/`;
export const issuerOf = (baseUrl: string) => `${baseUrl}${OIDC_PREFIX}`;

const SIGNING = ['ES256', 'RS256'];

export interface ProviderOptions {
  /** The name of Bastion's session cookie (http/cookies.ts). */
  sessionCookie: string;
}

/** The live Bastion session of the browser behind a provider request (read once per request). */
const sessions = new WeakMap<KoaContextWithOIDC, ReturnType<typeof findLiveSessionWithUser>>();
export function bastionSessionOf(deps: Deps, ctx: KoaContextWithOIDC, cookieName: string) {
  let found = sessions.get(ctx);
  if (!found) {
    const token = ctx.cookies.get(cookieName);
    found = token ? findLiveSessionWithUser(deps, token) : Promise.resolve(undefined);
    sessions.set(ctx, found);
  }
  return found;
}

function policy(deps: Deps, options: ProviderOptions) {
  const { Check } = interactionPolicy;
  const base = interactionPolicy.base();
  const login = base.get('login')!;
  // The provider's session is only as good as the Bastion session it came from: signed out, ended by
  // a security change or another account in this browser, and the app's sign-in asks again.
  login.checks.add(
    new Check('bastion_session', 'the Bastion session ended', async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId) return Check.NO_NEED_TO_PROMPT;
      const live = await bastionSessionOf(deps, ctx, options.sessionCookie);
      return live?.user.id === accountId ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );
  // max_age, and acr_values asking for a strong factor, by Bastion's clock and session: a step-up is
  // asked for inside a live session too (interaction.ts).
  login.checks.add(
    new Check('bastion_step_up', 'a recent strong factor is required', async (ctx) => {
      if (!ctx.oidc.session?.accountId || ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      const live = await bastionSessionOf(deps, ctx, options.sessionCookie);
      return live && needsStepUp(deps, live.session, ctx.oidc.params ?? {}) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );
  return base;
}

export async function buildProvider(deps: Deps, options: ProviderOptions): Promise<Provider> {
  const { config } = deps;
  const secure = new URL(config.baseUrl).protocol === 'https:';
  // The provider's cookie keys, shared by every node: derived from SESSION_SECRET for this one use.
  const cookieKey = createHmac('sha256', config.sessionSecret).update('bastion oidc cookies').digest('base64url');
  const sessionTtl = Math.floor(config.session.absoluteLifetimeMs / 1000);
  const configuration: Configuration = {
    adapter: adapterFactory(deps.store.db),
    findAccount: (_ctx, id) => findAccount(deps, id),
    jwks: { keys: (await loadSigningKeys(deps)) as NonNullable<Configuration['jwks']>['keys'] },
    claims: { ...SCOPE_CLAIMS, sid: null },
    scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS).filter((s) => s !== 'openid')],
    acrValues: ACR_VALUES,
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: SIGNING,
      userinfoSigningAlgValues: SIGNING,
      introspectionSigningAlgValues: SIGNING,
      authorizationSigningAlgValues: SIGNING,
      requestObjectSigningAlgValues: SIGNING,
      clientAuthSigningAlgValues: SIGNING,
    } as Configuration['enabledJWA'],
    cookies: {
      names: { session: 'bastion_oidc_session', interaction: 'bastion_oidc_interaction', resume: 'bastion_oidc_resume' },
      keys: [cookieKey],
      long: { httpOnly: true, sameSite: 'lax', secure },
      short: { httpOnly: true, sameSite: 'lax', secure },
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      // An app may ask about, and revoke, only the tokens issued to it.
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: logoutPage, postLogoutSuccessSource: loggedOutPage },
    },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PREFIX}${interaction.uid}`, policy: policy(deps, options) },
    loadExistingGrant: (ctx) => rememberedGrant(deps, ctx),
    // Every client that may use refresh tokens gets them; without offline_access they end with the session.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    renderError: renderErrorPage,
    // The provider's only outgoing requests are back-channel logouts to URIs an operator registered
    // (no dynamic registration, no request_uri, no client JWKS): private addresses are allowed, as an
    // exchange's own back ends live on them; the SSRF guard is for URIs anyone could register.
    fetch: (url, init) => {
      const { dispatcher: _dispatcher, ...options } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, options);
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      IdToken: ID_TOKEN_TTL_S,
      Interaction: 600,
      PushedAuthorizationRequest: 60,
      RefreshToken: 30 * 24 * 3600,
      Session: sessionTtl,
      Grant: Math.floor((365 * DAY) / 1000),
    },
  };
  const provider = new Provider(issuerOf(config.baseUrl), configuration);
  // The client's address and the provider's own URL come from X-Forwarded-* headers that mount.ts
  // sets itself (Fastify's address under TRUST_PROXY, BASE_URL), never from the request's.
  provider.proxy = true;
  // A client's secret is kept hashed: compare the presented one's hash in constant time.
  (provider.Client.prototype as unknown as { compareClientSecret(this: { clientSecret?: string }, actual: string): Promise<boolean> }).compareClientSecret = async function (actual) {
    return verifyClientSecret(this.clientSecret, actual);
  };
  return provider;
}
