/**
 * Bastion as an OpenID Connect provider over HTTP: the provider's own endpoints (mount.ts, before
 * every Fastify plugin: it speaks OAuth's error format and does its own CSRF and CORS checks), the
 * interaction endpoints the web app's /oidc/interaction/:uid page calls (under the interaction's
 * cookie path), and the security center's "Connected apps".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { connectedAppList, connectedAppParams, connectedAppRevoked, interactionAnswer, interactionDetails, interactionParams } from '../../contracts/oidc.ts';
import { isoTime } from '../../clock.ts';
import { authenticate, type Authenticated } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { FeatureRoutes, RouteContext } from '../../http/route-context.ts';
import { connectedApps, revokeConnectedApp } from './grants.ts';
import { denyInteraction, describeInteraction, finishConsent, finishLogin, openInteraction } from './interaction.ts';
import { needsStepUp } from './step-up.ts';
import { mountProvider, type OidcMount } from './mount.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The OpenID Connect provider of this node (flows/oidc/mount.ts). */
    oidc: OidcMount;
  }
}

const tags = ['Apps (OpenID Connect)'];
const security = [{ session: [] }];

/** Mounts the provider (call before the shared plugins) and returns the routes to register with the features. */
export async function registerOidc(app: FastifyInstance, context: RouteContext): Promise<FeatureRoutes> {
  const { deps } = context;
  const mount = await mountProvider(deps, { sessionCookie: context.cookies.name('session') });
  app.addHook('onRequest', async (request, reply) => {
    if (!mount.handle(request.raw, reply.raw, request.ip)) return;
    reply.hijack();
    return reply;
  });
  app.addHook('onClose', async () => mount.close());
  app.decorate('oidc', mount);

  return async (scope) => {
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const raw = (request: FastifyRequest, reply: FastifyReply) => ({ req: request.raw, res: reply.raw });
    const signedIn = (request: FastifyRequest): Promise<Authenticated | undefined> => authenticate(request, context).catch(() => undefined);
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    r.get(
      '/oidc/interaction/:uid/details',
      { schema: { tags, summary: 'What an app signing in through Bastion asks for', params: interactionParams, response: { 200: interactionDetails, 400: errorBody } } },
      async (request, reply) => {
        const interaction = await openInteraction(mount.provider(), raw(request, reply), request.params.uid);
        const auth = await signedIn(request);
        const stepUp = auth !== undefined && interaction.prompt.name === 'login' && needsStepUp(deps, auth.session, interaction.params);
        return { ...(await describeInteraction(mount.provider(), interaction)), signedIn: auth !== undefined, stepUp };
      },
    );

    r.post(
      '/oidc/interaction/:uid/login',
      {
        schema: {
          tags,
          summary: "Sign in to the app with this browser's Bastion session",
          description: 'A full session is required (second factor and device confirmation done); when the app asked for a recent or strong sign-in, 403 step_up_required until /api/auth/step-up.',
          security,
          params: interactionParams,
          response: { 200: interactionAnswer, 400: errorBody, 401: errorBody, 403: errorBody },
        },
      },
      async (request, reply) => {
        const { session } = await authenticate(request, context);
        const interaction = await openInteraction(mount.provider(), raw(request, reply), request.params.uid);
        return { redirectTo: await finishLogin(deps, mount.provider(), interaction, session, raw(request, reply)) };
      },
    );

    r.post(
      '/oidc/interaction/:uid/consent',
      { schema: { tags, summary: 'Allow the app what it asks for (remembered until revoked)', security, params: interactionParams, response: { 200: interactionAnswer, 400: errorBody, 401: errorBody, 403: errorBody } } },
      async (request, reply) => {
        const { user } = await authenticate(request, context);
        const interaction = await openInteraction(mount.provider(), raw(request, reply), request.params.uid);
        return { redirectTo: await finishConsent(deps, mount.provider(), interaction, user.id, raw(request, reply), clientOf(request)) };
      },
    );

    r.post(
      '/oidc/interaction/:uid/abort',
      { schema: { tags, summary: 'Refuse the sign-in: the app is told access_denied', params: interactionParams, response: { 200: interactionAnswer, 400: errorBody } } },
      async (request, reply) => {
        await openInteraction(mount.provider(), raw(request, reply), request.params.uid);
        return { redirectTo: await denyInteraction(mount.provider(), raw(request, reply)) };
      },
    );

    r.get(
      '/api/me/connected-apps',
      { schema: { tags, summary: 'Apps this account signed in to through Bastion, with what each was allowed', security, response: { 200: connectedAppList, 401: errorBody, 403: errorBody } } },
      async (request) => {
        const { user } = await authenticate(request, context);
        const apps = await connectedApps(deps.store.db, user.id);
        return { apps: apps.map((a) => ({ ...a, grantedAt: isoTime(a.grantedAt)! })) };
      },
    );

    r.delete(
      '/api/me/connected-apps/:clientId',
      { schema: { tags, summary: "Revoke an app's access: its grant, tokens and codes end at once", security, params: connectedAppParams, response: { 200: connectedAppRevoked, 401: errorBody, 403: errorBody, 404: errorBody } } },
      async (request) => {
        const { user } = await authenticate(request, context);
        await revokeConnectedApp(deps, user.id, request.params.clientId, clientOf(request));
        return { status: 'revoked' as const };
      },
    );
  };
}
