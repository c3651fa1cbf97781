import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { codeField, errorBody, statusBody } from '../../http/schemas.ts';
import { authenticate, clearSessionCookie, setSessionCookie } from '../../http/guards.ts';
import { describeMe, meBody } from './me.ts';
import { signOut } from '../security-center/sessions.ts';
import { stepUp, stepUpPasskeyOptions } from '../step-up/step-up.ts';
import { authenticationCredential, optionsBody, optionsReply } from '../../factors/passkey/schemas.ts';

const security = [{ session: [] }];

export async function sessionRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.get(
    '/api/me',
    { schema: { tags: ['Account'], summary: 'The signed-in user and their security status', security, response: { 200: meBody, 401: errorBody } } },
    async (request) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true });
      return describeMe(deps, user, session);
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { tags: ['Sign-in'], summary: 'End this session on the server', security, response: { 200: statusBody('signed_out'), 401: errorBody } } },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true });
      await signOut(deps, user, session, clientOf(request));
      clearSessionCookie(reply, context);
      return { status: 'signed_out' as const };
    },
  );

  r.post(
    '/api/auth/step-up',
    {
      schema: {
        tags: ['Sign-in'],
        summary: 'Re-confirm a strong factor for sensitive actions',
        description:
          `Refreshes step-up for this session (valid ${deps.config.session.stepUpMaxAgeMs / 60_000} minutes) with an authenticator code or a passkey ` +
          '(options from /api/auth/step-up/passkey-options). Emailed codes and backup codes are not accepted.',
        security,
        body: z.discriminatedUnion('method', [
          z.strictObject({ method: z.literal('totp'), code: codeField }),
          z.strictObject({ method: z.literal('passkey'), credential: authenticationCredential }),
        ]),
        response: { 200: z.object({ status: z.literal('ok'), stepUpExpiresAt: z.string() }), 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context);
      const token = await stepUp(deps, user, session, request.body, clientOf(request));
      setSessionCookie(reply, context, token);
      return { status: 'ok' as const, stepUpExpiresAt: new Date(deps.clock.now() + deps.config.session.stepUpMaxAgeMs).toISOString() };
    },
  );

  r.post(
    '/api/auth/step-up/passkey-options',
    {
      schema: {
        tags: ['Sign-in'],
        summary: 'Options to step up with a passkey',
        description: "Pass `options` to the browser's navigator.credentials.get (e.g. @simplewebauthn/browser startAuthentication), then send the result to /api/auth/step-up.",
        security,
        response: { 200: optionsBody, 400: errorBody, 401: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      return optionsReply(await stepUpPasskeyOptions(deps, user, session));
    },
  );
}
