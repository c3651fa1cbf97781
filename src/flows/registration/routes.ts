/** Sign-up over HTTP: create an account, score a password, verify the address, send a new verification email. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import {
  passwordStrengthAnswer,
  passwordStrengthBody,
  registerAnswer,
  registerBody,
  resendVerificationAnswer,
  resendVerificationBody,
  verifyEmailAnswer,
  verifyEmailBody,
} from '../../contracts/registration.ts';
import { setDeviceCookie } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { register, resendVerification, verifyEmail } from './service.ts';
import { passwordStrength } from './strength.ts';

const tags = ['Registration'];

export async function registrationRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.post(
    '/api/auth/register',
    {
      schema: {
        tags,
        summary: 'Create an account',
        description: 'Always answers 202 check_email, whether or not the address is taken (the owner of an existing account is emailed instead).',
        body: registerBody,
        response: { 202: registerAnswer, 400: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      await register(deps, request.body, clientOf(request));
      return reply.status(202).send({ status: 'check_email' as const });
    },
  );

  r.post(
    '/api/auth/password/strength',
    {
      schema: {
        tags,
        summary: 'Score a password against the policy (for a strength meter)',
        body: passwordStrengthBody,
        response: { 200: passwordStrengthAnswer, 400: errorBody, 429: errorBody, 503: errorBody },
      },
    },
    async (request) => passwordStrength(deps, request.body, clientOf(request)),
  );

  r.post(
    '/api/auth/verify-email',
    {
      schema: {
        tags,
        summary: 'Verify an email address with the link token or the 6-digit code',
        body: verifyEmailBody,
        response: { 200: verifyEmailAnswer, 400: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { token, email, code } = request.body;
      const device = context.cookies.name('device');
      const input = token !== undefined ? { token } : { email: email ?? '', code: code ?? '' };
      const result = await verifyEmail(deps, input, clientOf(request), request.cookies[device]);
      setDeviceCookie(reply, context, result.deviceCookie);
      return { status: 'verified' as const };
    },
  );

  r.post(
    '/api/auth/resend-verification',
    {
      schema: {
        tags,
        summary: 'Send a new verification email',
        description: 'Answers 202 whether or not the address has an account; rate-limited per address and per IP (429 with Retry-After).',
        body: resendVerificationBody,
        response: { 202: resendVerificationAnswer, 429: errorBody },
      },
    },
    async (request, reply) => {
      await resendVerification(deps, request.body, clientOf(request));
      return reply.status(202).send({ status: 'check_email' as const });
    },
  );
}
