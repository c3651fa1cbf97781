/**
 * The provider inside the Bastion server: oidc-provider is a Koa app, so requests for /oidc/* (but
 * Bastion's own interaction endpoints under /oidc/interaction/) and /.well-known/openid-configuration
 * are handed to its callback on the raw Node request before Fastify parses anything, the /oidc prefix
 * stripped as a mounted app expects. Signing keys are made on first start; each node looks every
 * minute whether `bastion oidc keys rotate` changed them and then rebuilds its provider, so the nodes
 * publish and sign with the same keys within a minute. Every second, the back-channel logout notices
 * that are due are sent. What Bastion does on the provider's events is in events.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import { sendDueLogouts } from './backchannel.ts';
import { listenToProvider } from './events.ts';
import { buildProvider, INTERACTION_PREFIX, OIDC_PREFIX, type ProviderOptions } from './provider.ts';
import { ensureSigningKeys, signingKeysVersion } from './signing-keys.ts';

const DISCOVERY = '/.well-known/openid-configuration';
const KEYS_CHECK_MS = 60_000;
const LOGOUTS_EVERY_MS = 1000;

export interface OidcMount {
  provider(): Provider;
  /** Hands the request to the provider and answers true when it is one of its paths. */
  /** Serves a provider path: `clientIp` is the address Fastify worked out under TRUST_PROXY. */
  handle(req: IncomingMessage, res: ServerResponse, clientIp: string): boolean;
  /** Rebuilds the provider if the signing keys changed (also done every minute). */
  reload(): Promise<void>;
  /** Sends the back-channel logout notices that are due (also done every second); how many went. */
  sendLogouts(): Promise<number>;
  close(): Promise<void>;
}

export const isProviderPath = (path: string): boolean =>
  path === DISCOVERY || path === OIDC_PREFIX || (path.startsWith(`${OIDC_PREFIX}/`) && !path.startsWith(INTERACTION_PREFIX));

export async function mountProvider(deps: Deps, options: ProviderOptions): Promise<OidcMount> {
  await ensureSigningKeys(deps);
  const build = async () => {
    const provider = await buildProvider(deps, options);
    listenToProvider(deps, provider, options);
    return { provider, callback: provider.callback(), version: await signingKeysVersion(deps) };
  };
  let current = await build();
  const reload = async () => {
    if ((await signingKeysVersion(deps)) !== current.version) current = await build();
  };
  const timer = setInterval(() => void reload().catch((err: unknown) => deps.log.warn({ err }, 'reloading the OIDC signing keys failed')), KEYS_CHECK_MS);
  timer.unref();
  let sending: Promise<number> | null = null;
  const sendLogouts = () =>
    (sending ??= sendDueLogouts(deps, current.provider)
      .catch((err: unknown) => {
        deps.log.warn({ err }, 'sending back-channel logouts failed');
        return 0;
      })
      .finally(() => {
        sending = null;
      }));
  const logouts = setInterval(() => void sendLogouts(), LOGOUTS_EVERY_MS);
  logouts.unref();
  const publicUrl = new URL(deps.config.baseUrl);
  return {
    provider: () => current.provider,
    handle(req, res, clientIp) {
      const url = req.url ?? '/';
      const path = url.split('?')[0] ?? '/';
      if (!isProviderPath(path)) return false;
      // What the provider reads as the client's address and its own scheme and host: a request's own
      // X-Forwarded-* would otherwise name any host in the discovery document and token endpoints.
      delete req.headers.forwarded;
      req.headers['x-forwarded-for'] = clientIp;
      req.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
      req.headers['x-forwarded-host'] = publicUrl.host;
      // The provider's own pages (logout, errors) are never framed, sniffed or referred from.
      res.setHeader('x-frame-options', 'DENY');
      res.setHeader('content-security-policy', "frame-ancestors 'none'");
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      const mounted = req as IncomingMessage & { originalUrl?: string };
      // The provider takes its mount path from what originalUrl adds to url: the root discovery
      // document is served as the one under /oidc.
      mounted.originalUrl = path === DISCOVERY ? `${OIDC_PREFIX}${url}` : url;
      if (path !== DISCOVERY) mounted.url = url.slice(OIDC_PREFIX.length) || '/';
      void current.callback(req, res);
      return true;
    },
    reload,
    sendLogouts,
    close: async () => {
      clearInterval(timer);
      clearInterval(logouts);
      await sending;
    },
  };
}
