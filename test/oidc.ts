/**
 * For the OpenID Connect tests: a Bastion test app listening on a real port (openid-client speaks
 * HTTP to it, as a relying party does), apps registered as the CLI registers them, and a small
 * browser over fetch with a path-aware cookie jar that follows the provider's redirects.
 */
import * as oidc from 'openid-client';
import { afterEach, expect } from 'vitest';
import { addClient, type NewClient } from '../src/flows/oidc/clients.ts';
import type { Dialect } from '../src/store/database.ts';
import type { TestClient } from './client.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { freePort } from './ports.ts';

export interface OidcTestApp extends TestApp {
  url: string;
  issuer: string;
}

/** A test app on a free port, BASE_URL its own, the clock at the real time (the provider reads Date.now()). */
export async function listeningApp(dialect: Dialect, env: Record<string, string> = {}): Promise<OidcTestApp> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const t = await createTestApp(dialect, { env: { BASE_URL: url, LOGIN_IP_LIMIT: '1000', ...env } });
  t.clock.set(Date.now());
  await t.app.listen({ host: '127.0.0.1', port });
  return { ...t, url, issuer: `${url}/oidc` };
}

/** One listening app per test, closed after it: `const app = oidcApps(dialect)`, then `const t = await app()` in a test. */
export function oidcApps(dialect: Dialect): (env?: Record<string, string>) => Promise<OidcTestApp> {
  let open: OidcTestApp[] = [];
  afterEach(async () => {
    const closing = open;
    open = [];
    await Promise.all(closing.map((t) => t.close()));
  });
  return async (env) => {
    const t = await listeningApp(dialect, env);
    open.push(t);
    return t;
  };
}

export const REDIRECT_URI = 'http://localhost:8123/callback';

/** Registers an app and discovers the provider for it, as a relying party does. */
export async function relyingParty(t: OidcTestApp, input: Partial<NewClient> = {}): Promise<{ config: oidc.Configuration; clientId: string; secret: string | null }> {
  const { client, secret } = await addClient(t.deps.store.db, { name: 'Example app', redirectUris: [REDIRECT_URI], ...input }, t.clock.now());
  const auth = secret === null ? oidc.None() : oidc.ClientSecretBasic(secret);
  const config = await oidc.discovery(new URL(t.issuer), client.id, undefined, auth, { execute: [oidc.allowInsecureRequests] });
  return { config, clientId: client.id, secret };
}

interface Cookie {
  name: string;
  path: string;
  value: string;
}

/** A browser over real HTTP: cookies by path, redirects followed by hand. */
export class Browser {
  private jar: Cookie[] = [];
  constructor(readonly origin: string) {}

  /** Takes the cookies of a TestClient (a signed-in session made over app.inject). */
  adopt(client: TestClient): this {
    for (const [name, value] of client.cookies) this.jar.push({ name, path: '/', value });
    return this;
  }

  async request(url: string, init: { method?: string; body?: unknown; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url, this.origin);
    const cookie = this.jar.filter((c) => target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/').map((c) => `${c.name}=${c.value}`).join('; ');
    const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0', ...(cookie ? { cookie } : {}) };
    if (init.method && init.method !== 'GET') headers.origin = this.origin;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const body = init.form !== undefined ? new URLSearchParams(init.form).toString() : init.body !== undefined ? JSON.stringify(init.body) : undefined;
    const res = await fetch(target, { method: init.method ?? 'GET', headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const gone = value === '' || attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()));
      this.jar = this.jar.filter((c) => !(c.name === name && c.path === path));
      if (!gone) this.jar.push({ name, path, value });
    }
    return res;
  }

  /** Follows redirects from `url` until one leaves the provider: Bastion's interaction page, or the app. */
  async follow(url: string): Promise<URL> {
    let at = new URL(url, this.origin);
    for (let i = 0; i < 10; i++) {
      if (at.origin !== this.origin || at.pathname.startsWith('/oidc/interaction/')) return at;
      const res = await this.request(at.href);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) throw new Error(`${at.href} answered ${res.status} without a redirect: ${(await res.text()).slice(0, 500)}`);
      at = new URL(location, at);
    }
    throw new Error('too many redirects');
  }

  async json(url: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
    const res = await this.request(url, { ...init, ...(init.method && init.method !== 'GET' && init.body === undefined ? { body: {} } : {}) });
    return { status: res.status, body: await res.json() };
  }
}

/** The interaction page's uid. */
export const uidOf = (at: URL): string => {
  expect(at.pathname).toMatch(/^\/oidc\/interaction\/[^/]+$/);
  return at.pathname.split('/').at(-1)!;
};

/**
 * What the web app's interaction page does for a signed-in browser: confirm the sign-in, allow what
 * the app asks, and land on the app's redirect URI (returned).
 */
export async function authorizeAs(browser: Browser, authorizationUrl: URL, { consent = true } = {}): Promise<URL> {
  let at = await browser.follow(authorizationUrl.href);
  for (let i = 0; i < 3 && at.origin === browser.origin; i++) {
    const uid = uidOf(at);
    const details = await browser.json(`/oidc/interaction/${uid}/details`);
    expect(details.status, JSON.stringify(details.body)).toBe(200);
    if (details.body.prompt === 'consent' && !consent) return at;
    const done = await browser.json(`/oidc/interaction/${uid}/${details.body.prompt}`, { method: 'POST' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    at = await browser.follow(done.body.redirectTo);
  }
  return at;
}

/** The authorization URL of a code flow with PKCE (S256); its verifier and state. */
export async function codeFlowStart(config: oidc.Configuration, params: Record<string, string> = {}, { par = false } = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const parameters = { redirect_uri: REDIRECT_URI, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce, ...params };
  const url = par ? await oidc.buildAuthorizationUrlWithPAR(config, parameters) : oidc.buildAuthorizationUrl(config, parameters);
  return { url, verifier, state, nonce };
}

/** An app's back-channel logout endpoint: collects the logout tokens posted to it. */
export async function backchannelReceiver(): Promise<{ uri: string; tokens: string[]; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const tokens: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (token) tokens.push(token);
      res.writeHead(token ? 200 : 400).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { uri: `http://127.0.0.1:${port}/backchannel-logout`, tokens, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
