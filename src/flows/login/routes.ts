import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { codeField, emailField, errorBody, passwordField, publicUser, statusBody, tokenField } from '../../http/schemas.ts';
import { setSessionCookie } from '../../http/guards.ts';
import type { SignedIn } from './complete.ts';
import { setFlowCookie, signedInReply, signInAnswer } from './replies.ts';
import { confirmDevice } from './device-confirmation.ts';
import { passkeyStepOptions, passwordStep, secondFactorStep, sendEmailCode } from './service.ts';
import { authenticationCredential, optionsBody, optionsReply } from '../../factors/passkey/schemas.ts';

const tags = ['Sign-in'];
/** The second factor: a code, or a passkey's signed response (options from /api/auth/login/passkey-options). */
const factorBody = z.discriminatedUnion('method', [
  z.strictObject({ flow: tokenField, method: z.enum(['totp', 'email_code', 'backup_code']), code: codeField }),
  z.strictObject({ flow: tokenField, method: z.literal('passkey'), credential: authenticationCredential }),
]);

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
          'From a browser such an account does not know (not the one that verified the email), it is `["confirm_device"]` first: ' +
          'the inbox confirms the browser (see /api/auth/login/confirm-device), and that answer brings the restricted session. ' +
          'A wrong password and an unknown email get the same answer. Locked or throttled: 429 with Retry-After.',
        body: z.strictObject({ email: emailField, password: passwordField }),
        response: {
          200: z.object({ flow: z.string(), next: z.array(z.enum(['passkey', 'totp', 'email_code', 'backup_code', 'enroll_2fa', 'confirm_device'])) }),
          401: errorBody,
          403: errorBody,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await passwordStep(deps, { ...request.body, deviceCookie: request.cookies[cookies.name('device')] }, clientOf(request));
      setFlowCookie(reply, context, result.binding);
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
    '/api/auth/login/passkey-options',
    {
      schema: {
        tags,
        summary: 'Options to finish this flow with a passkey',
        description: "Pass `options` to navigator.credentials.get (e.g. @simplewebauthn/browser startAuthentication), then send the result to /api/auth/login/verify with method `passkey`.",
        body: z.strictObject({ flow: tokenField }),
        response: { 200: optionsBody, 400: errorBody },
      },
    },
    async (request) => optionsReply(await passkeyStepOptions(deps, { flowId: request.body.flow, binding: request.cookies[flowCookie] })),
  );

  const signInReply = (reply: FastifyReply, result: SignedIn) => signedInReply(reply, context, result);

  r.post(
    '/api/auth/login/verify',
    {
      schema: {
        tags,
        summary: 'Step 2: the second factor; starts the session (or asks to confirm a new device)',
        description:
          'Sets the session cookie and answers `{user}`. From a new device (or with risk signals) there is no session yet: ' +
          'the answer is `{flow, next: ["confirm_device"]}` and the owner is emailed a link and a code (see /api/auth/login/confirm-device). ' +
          'Five wrong codes (or refused passkeys) end the flow; ten across flows lock the account for 15 minutes.',
        body: factorBody,
        response: {
          200: signInAnswer,
          400: errorBody,
          401: errorBody,
          403: errorBody,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await secondFactorStep(
        deps,
        {
          flowId: request.body.flow,
          binding: request.cookies[flowCookie],
          deviceCookie: request.cookies[cookies.name('device')],
          factor: request.body.method === 'passkey' ? { method: 'passkey', credential: request.body.credential } : { method: request.body.method, code: request.body.code },
        },
        clientOf(request),
      );
      if (result.kind === 'confirm_device') return { flow: request.body.flow, next: ['confirm_device' as const] };
      return signInReply(reply, result);
    },
  );

  r.post(
    '/api/auth/login/confirm-device',
    {
      schema: {
        tags,
        summary: 'Step 3 (new devices): confirm the device with the emailed code or link',
        description:
          'In the browser that is signing in: `{flow, code}` with the emailed code completes the sign-in (session cookie, `{user}`); ' +
          '`{flow}` alone completes it once the emailed link was opened (400 device_not_confirmed before). ' +
          'The link page sends `{token}`: in the same browser it completes the sign-in, elsewhere it answers `{status: "confirmed"}`.',
        body: z
          .strictObject({ flow: tokenField.optional(), code: codeField.optional(), token: tokenField.optional() })
          .refine((b) => b.token !== undefined || b.flow !== undefined, { message: 'send flow (and code), or token', path: ['flow'] }),
        response: { 200: z.union([z.object({ user: publicUser }), statusBody('confirmed')]), 400: errorBody, 401: errorBody },
      },
    },
    async (request, reply) => {
      const result = await confirmDevice(
        deps,
        {
          flowId: request.body.flow,
          code: request.body.code,
          token: request.body.token,
          binding: request.cookies[flowCookie],
          deviceCookie: request.cookies[cookies.name('device')],
        },
        clientOf(request),
      );
      if (result.kind === 'confirmed') return { status: 'confirmed' as const };
      return signInReply(reply, result);
    },
  );
}
