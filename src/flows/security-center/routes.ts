import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { errorBody, statusBody, tokenField } from '../../http/schemas.ts';
import { authenticate, clearSessionCookie, requireStepUp } from '../../http/guards.ts';
import { endOtherSessions, endSession } from './sessions.ts';
import { liveSessions } from '../../account/sessions.ts';
import { listActivity } from '../../account/activity.ts';
import { setAntiPhishingCode } from '../../account/anti-phishing.ts';
import { describeDevice } from '../../client/user-agent.ts';
import { forgetDevice, listDevices } from '../../account/devices.ts';
import { freezeFromSettings, freezeWithToken } from '../../account/freeze.ts';
import { locate } from '../../client/location.ts';
import { listSecurityEvents } from './security-events.ts';

const tags = ['Security center'];
const security = [{ session: [] }];
const idParam = z.object({ id: z.string().min(1).max(64) });

export async function securityCenterRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.put(
    '/api/me/anti-phishing-code',
    {
      schema: {
        tags,
        summary: 'Set or change the anti-phishing code shown in every email (needs step-up)',
        description: '4 to 20 letters, digits, _ or -. Emails the owner and holds withdrawals for 24 hours.',
        security,
        body: z.strictObject({ code: z.string().max(64) }),
        response: { 200: statusBody('set'), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(context.deps, session);
      await setAntiPhishingCode(deps, user, request.body.code, clientOf(request));
      return { status: 'set' as const };
    },
  );

  r.delete(
    '/api/me/anti-phishing-code',
    { schema: { tags, summary: 'Remove the anti-phishing code (needs step-up)', security, response: { 200: statusBody('removed'), 401: errorBody, 403: errorBody } } },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(context.deps, session);
      await setAntiPhishingCode(deps, user, null, clientOf(request));
      return { status: 'removed' as const };
    },
  );

  r.get(
    '/api/me/activity',
    {
      schema: {
        tags,
        summary: 'Sign-in attempts on this account, newest first',
        security,
        querystring: z.strictObject({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: {
          200: z.object({
            entries: z.array(
              z.object({
                id: z.string(),
                at: z.string(),
                ip: z.string(),
                device: z.string(),
                location: z.string(),
                method: z.string().nullable(),
                result: z.string(),
                riskSignals: z.array(z.string()),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
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
          200: z.object({
            sessions: z.array(z.object({ id: z.string(), device: z.string(), location: z.string(), ip: z.string().nullable(), createdAt: z.string(), lastActiveAt: z.string(), current: z.boolean() })),
          }),
          401: errorBody,
        },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      const sessions = await liveSessions(deps, user.id);
      return {
        sessions: sessions.map((s) => ({
          id: s.id,
          device: describeDevice(s.user_agent ?? ''),
          location: locate(s.ip ?? '').label,
          ip: s.ip,
          createdAt: new Date(s.created_at).toISOString(),
          lastActiveAt: new Date(s.last_active_at).toISOString(),
          current: s.id === session.id,
        })),
      };
    },
  );

  r.delete(
    '/api/me/sessions/:id',
    { schema: { tags, summary: 'End one session (at once, on every node)', security, params: idParam, response: { 200: statusBody('revoked'), 401: errorBody, 404: errorBody } } },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context);
      await endSession(deps, user, request.params.id, clientOf(request));
      if (request.params.id === session.id) clearSessionCookie(reply, context);
      return { status: 'revoked' as const };
    },
  );

  r.post(
    '/api/me/sessions/revoke-others',
    { schema: { tags, summary: 'End every other session', security, response: { 200: z.object({ status: z.literal('revoked'), count: z.number().int() }), 401: errorBody } } },
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
          200: z.object({ devices: z.array(z.object({ id: z.string(), device: z.string(), location: z.string().nullable(), firstSeenAt: z.string(), lastSeenAt: z.string(), current: z.boolean() })) }),
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
    { schema: { tags, summary: 'Forget a device: its next sign-in is a new-device sign-in', security, params: idParam, response: { 200: statusBody('forgotten'), 401: errorBody, 404: errorBody } } },
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
        body: z.strictObject({ token: tokenField }),
        response: { 200: statusBody('frozen'), 400: errorBody },
      },
    },
    async (request) => {
      await freezeWithToken(deps, request.body.token, clientOf(request));
      return { status: 'frozen' as const };
    },
  );

  r.post(
    '/api/me/lock',
    { schema: { tags, summary: 'Lock my account now: every session ends, sign-ins are refused', security, response: { 200: statusBody('frozen'), 401: errorBody } } },
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
          200: z.object({
            events: z.array(z.object({ at: z.string(), type: z.string(), description: z.string(), ip: z.string().nullable(), device: z.string().nullable(), location: z.string().nullable() })),
          }),
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
