/**
 * Builds the HTTP app: shared plugins first (logging, errors, cookies, security headers, CSRF,
 * OpenAPI), then each feature's routes. Routes stay thin: they validate, call a service, reply.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Deps } from './deps.ts';
import { clientErrorHandler, frameworkErrors } from './http/client-errors.ts';
import { createCookies } from './http/cookies.ts';
import type { FeatureRoutes, RouteContext } from './http/route-context.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { appInfoRoutes } from './http/app-info.ts';
import { healthRoutes } from './http/health.ts';
import { metricsRoute } from './http/metrics-route.ts';
import { logRequest } from './http/logging.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerSecurity } from './http/security.ts';
import { registerWebApp } from './http/web-app.ts';
import { devInboxRoutes } from './mail/dev-inbox-routes.ts';
import { factorRoutes } from './factors/routes.ts';
import { loginRoutes } from './flows/login/routes.ts';
import { recoveryRoutes } from './flows/recovery/routes.ts';
import { registrationRoutes } from './flows/registration/routes.ts';
import { securityCenterRoutes } from './flows/security-center/routes.ts';
import { settingsRoutes } from './flows/settings/routes.ts';
import { stepUpRoutes } from './flows/step-up/routes.ts';
import { kycRoutes } from './flows/kyc/routes.ts';
import { staffRoutes } from './flows/staff/routes.ts';
import { twoFactorResetRoutes } from './flows/two-factor-reset/routes.ts';
import { custodyRoutes } from './flows/custody/routes.ts';
import { registerOidc } from './flows/oidc/routes.ts';

export interface AppOptions {
  /** HTTPS server options (key, cert) when Bastion terminates TLS itself. */
  https?: { key: string | Buffer; cert: string | Buffer } | undefined;
  /** Serve the dev inbox pages (development without SMTP_URL). */
  devInbox: boolean;
  /** Serve the built web app (default true). */
  webApp?: boolean;
  /** Routes added after the built-in features (embedding, and tests of the shared plugins). */
  extraRoutes?: FeatureRoutes[];
}


/** Every flow's routes, then the factors' own (enrolling and managing them). */
const features: FeatureRoutes[] = [registrationRoutes, loginRoutes, stepUpRoutes, recoveryRoutes, settingsRoutes, securityCenterRoutes, kycRoutes, staffRoutes, twoFactorResetRoutes, custodyRoutes, ...factorRoutes];

/** The path as the router sees it (percent-decoded), so /api/%73taff/me is a staff path too. */
function decodedPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export async function buildApp(deps: Deps, options: AppOptions): Promise<FastifyInstance> {
  const { config } = deps;
  const secure = new URL(config.baseUrl).protocol === 'https:';
  const serverOptions: FastifyServerOptions = {
    loggerInstance: deps.log,
    // Fastify's own two lines per request are off: logRequest writes one line when a response completes.
    logController: new LogController({ disableRequestLogging: true }),
    // The proxies' addresses: request.ip is then the right-most X-Forwarded-For hop that is not one of them.
    trustProxy: config.trustProxy === false ? false : config.trustProxy,
    bodyLimit: config.bodyLimit,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A request must arrive whole (headers and body) within REQUEST_TIMEOUT; checked every second.
    requestTimeout: config.requestTimeoutMs,
    clientErrorHandler,
    frameworkErrors,
  };
  // Node's own server options (Fastify's typings leave them out): Node honours a request timeout only
  // when the server is made with it; headers must arrive within the same time, checked every second.
  const timeouts = { requestTimeout: config.requestTimeoutMs, headersTimeout: Math.min(60_000, config.requestTimeoutMs), connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs) };
  const app = Fastify(
    (options.https ? { ...serverOptions, https: { ...options.https, ...timeouts } } : { ...serverOptions, http: timeouts }) as unknown as FastifyServerOptions,
  ) as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    // The staff console and its API: never cached, never indexed.
    if (/^\/(api\/)?staff(\/|$)/.test(decodedPath(request.url))) reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow');
  });
  app.addHook('onResponse', async (request, reply) => {
    logRequest(request, reply);
    // By the route's pattern (/api/staff/users/:id), or one series for whatever matched no route.
    deps.metrics.requestDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    // Work left for after an answer (later.ts) starts once one is out.
    deps.later.answered();
  });

  registerErrorHandler(app, options.webApp === false ? undefined : await registerWebApp(app));

  const cookies = createCookies(secure);
  await app.register(cookie, { secret: config.sessionSecret });
  // The OpenID Connect provider answers its own paths before the shared plugins (flows/oidc/mount.ts).
  const oidcRoutes = await registerOidc(app, { deps, cookies });
  await registerSecurity(app, { https: secure, trustedOrigins: config.trustedOrigins, cookieNames: cookies.all, connectOrigins: config.walletRpcOrigins });
  await registerOpenApi(app, { title: config.appName, baseUrl: config.baseUrl, docsPage: config.apiDocs });
  await healthRoutes(app, deps.store);
  metricsRoute(app, deps);
  await appInfoRoutes(app, { name: config.appName, devInbox: options.devInbox, walletRpcOrigins: config.walletRpcOrigins,
    passkeys: config.webauthn.rpId !== null,
    freezeCooldownMs: config.freezeCooldownMs,
    withdrawalHoldMs: config.withdrawalHoldMs,
    faucet: config.env === 'development',
    twoFactorResetDelayMs: config.twoFactorReset.delayMs,
    twoFactorResetHoldMs: config.twoFactorReset.withdrawalHoldMs,
    terms: config.terms,
  });
  if (options.devInbox) await devInboxRoutes(app, deps.store.db);

  const context: RouteContext = { deps, cookies };
  for (const feature of [...features, oidcRoutes, ...(options.extraRoutes ?? [])]) await app.register(async (scope) => feature(scope, context));
  return app;
}
