/** The security center over HTTP: login activity, sessions, known devices, "lock my account", security history. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listActivity } from '../../account/activity.ts';
import { forgetDevice, listDevices } from '../../account/devices.ts';
import { freezeFromSettings, freezeWithToken } from '../../account/freeze.ts';
import { errorBody } from '../../contracts/common.ts';
import {
  activityPage,
  activityQuery,
  deviceForgottenAnswer,
  deviceList,
  frozenAnswer,
  itemIdParams,
  lockFromEmailBody,
  revokeOthersAnswer,
  securityEventList,
  sessionList,
  sessionRevokedAnswer,
} from '../../contracts/security-center.ts';
import { authenticate, clearSessionCookie } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { listSecurityEvents } from './security-events.ts';
import { describeSessions, endOtherSessions, endSession } from './sessions.ts';

const tags = ['Security center'];
const security = [{ session: [] }];

export async function securityCenterRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.get(
    '/api/me/activity',
    {
      schema: {
        tags,
        summary: 'Sign-in attempts on this account, newest first',
        security,
        querystring: activityQuery,
        response: {
          200: activityPage,
          400: errorBody,
          401: errorBody,
        },
      },
    },
    async (request) => {
      const { user } = await authenticate(request, context);
      return listActivity(deps, user.id, { cursor: request.query.cursor, limit: request.query.limit });
    },
  );

  r.get(
    '/api/me/sessions',
    {
      schema: {
        tags,
        summary: 'Signed-in sessions',
        security,
        response: {
          200: sessionList,
          401: errorBody,
        },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      return { sessions: await describeSessions(deps, user, session) };
    },
  );

  r.delete(
    '/api/me/sessions/:id',
    { schema: { tags, summary: 'End one session (at once, on every node)', security, params: itemIdParams, response: { 200: sessionRevokedAnswer, 401: errorBody, 404: errorBody } } },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context);
      await endSession(deps, user, request.params.id, clientOf(request));
      if (request.params.id === session.id) clearSessionCookie(reply, context);
      return { status: 'revoked' as const };
    },
  );

  r.post(
    '/api/me/sessions/revoke-others',
    { schema: { tags, summary: 'End every other session', security, response: { 200: revokeOthersAnswer, 401: errorBody } } },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      return { status: 'revoked' as const, count: await endOtherSessions(deps, user, session, clientOf(request)) };
    },
  );

  r.get(
    '/api/me/devices',
    {
      schema: {
        tags,
        summary: 'Known devices (sign-ins from other devices need email confirmation)',
        security,
        response: {
          200: deviceList,
          401: errorBody,
        },
      },
    },
    async (request) => {
      const { user } = await authenticate(request, context);
      return { devices: await listDevices(deps, user.id, request.cookies[context.cookies.name('device')]) };
    },
  );

  r.delete(
    '/api/me/devices/:id',
    { schema: { tags, summary: 'Forget a device: its next sign-in is a new-device sign-in', security, params: itemIdParams, response: { 200: deviceForgottenAnswer, 401: errorBody, 404: errorBody } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      await forgetDevice(deps, user, request.params.id, clientOf(request));
      return { status: 'forgotten' as const };
    },
  );

  r.post(
    '/api/auth/lock-account',
    {
      schema: {
        tags,
        summary: 'Lock the account from the link in a security email (single-use; no sign-in needed)',
        body: lockFromEmailBody,
        response: { 200: frozenAnswer, 400: errorBody },
      },
    },
    async (request) => {
      await freezeWithToken(deps, request.body.token, clientOf(request));
      return { status: 'frozen' as const };
    },
  );

  r.post(
    '/api/me/lock',
    { schema: { tags, summary: 'Lock my account now: every session ends, sign-ins are refused', security, response: { 200: frozenAnswer, 401: errorBody } } },
    async (request, reply) => {
      const { user } = await authenticate(request, context);
      await freezeFromSettings(deps, user, clientOf(request));
      clearSessionCookie(reply, context);
      return { status: 'frozen' as const };
    },
  );

  r.get(
    '/api/me/security-events',
    {
      schema: {
        tags,
        summary: 'Security settings history (changes, not sign-ins)',
        security,
        response: {
          200: securityEventList,
          401: errorBody,
        },
      },
    },
    async (request) => {
      const { user } = await authenticate(request, context);
      return { events: await listSecurityEvents(deps, user.id) };
    },
  );
}
