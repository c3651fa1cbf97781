import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { codeField, emailField, errorBody, passwordField, publicUser, statusBody, toPublicUser, tokenField } from '../../http/schemas.ts';
import { setSessionCookie } from '../sessions/guard.ts';
import { FLOW_TTL_MS } from './flows.ts';
import { passwordStep, secondFactorStep, sendEmailCode } from './service.ts';

const tags = ['Sign-in'];
const method = z.enum(['totp', 'email_code', 'backup_code']);

export async function loginRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps, cookies } = context;
  const flowCookie = cookies.name('flow');

  r.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: 'Step 1: email and password',
        description:
          'Starts a sign-in flow (10 minutes, bound to this browser by a cookie). `next` lists the second-factor methods to finish with, ' +
          'or `["enroll_2fa"]` for an account without one yet: it then also gets a restricted session that can only enroll. ' +
          'A wrong password and an unknown email get the same answer. Locked or throttled: 429 with Retry-After.',
        body: z.strictObject({ email: emailField, password: passwordField }),
        response: {
          200: z.object({ flow: z.string(), next: z.array(z.enum(['totp', 'email_code', 'backup_code', 'enroll_2fa'])) }),
          401: errorBody,
          403: errorBody,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await passwordStep(deps, request.body, clientOf(request));
      reply.setCookie(flowCookie, result.binding, cookies.options(FLOW_TTL_MS));
      if (result.restrictedSession) setSessionCookie(reply, context, result.restrictedSession.token);
      return { flow: result.flowId, next: result.next };
    },
  );

  r.post(
    '/api/auth/login/email-code',
    {
      schema: {
        tags,
        summary: 'Email a 6-digit sign-in code for this flow',
        body: z.strictObject({ flow: tokenField }),
        response: { 202: statusBody('sent'), 400: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      await sendEmailCode(deps, { flowId: request.body.flow, binding: request.cookies[flowCookie] }, clientOf(request));
      return reply.status(202).send({ status: 'sent' as const });
    },
  );

  r.post(
    '/api/auth/login/verify',
    {
      schema: {
        tags,
        summary: 'Step 2: the second factor; starts the session',
        description: 'Sets the session cookie. Five wrong codes end the flow; ten across flows lock the account for 15 minutes.',
        body: z.strictObject({ flow: tokenField, method, code: codeField }),
        response: { 200: z.object({ user: publicUser }), 400: errorBody, 401: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { user, session } = await secondFactorStep(
        deps,
        { flowId: request.body.flow, binding: request.cookies[flowCookie], method: request.body.method, code: request.body.code },
        clientOf(request),
      );
      reply.clearCookie(flowCookie, cookies.options());
      setSessionCookie(reply, context, session.token);
      return { user: toPublicUser(user) };
    },
  );
}
