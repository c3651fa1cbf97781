import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { codeField, emailField, errorBody, passwordField, statusBody, tokenField } from '../../http/schemas.ts';
import { checkPassword } from './password-policy.ts';
import { register, resendVerification, verifyEmail } from './service.ts';
import { DEVICE_COOKIE_MS } from '../../account/devices.ts';

const tags = ['Registration'];

/**
 * The link token, or the address and the 6-digit code. One object rather than a union, so that a
 * missing or mistyped field is reported by name (a union only says "Invalid input").
 */
const verifyEmailBody = z
  .strictObject({ token: tokenField.optional(), email: emailField.optional(), code: codeField.optional() })
  .superRefine((body, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (body.token !== undefined) {
      if (body.email !== undefined || body.code !== undefined) issue('token', 'send either token, or email and code, not both');
    } else if (body.email === undefined && body.code === undefined) issue('token', 'is required (or send email and code)');
    else if (body.email === undefined) issue('email', 'is required');
    else if (body.code === undefined) issue('code', 'is required');
  })
  .describe('Either `token` (from the link) or `email` and `code`.');

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
        body: z.strictObject({ email: emailField, password: passwordField }),
        response: { 202: statusBody('check_email'), 400: errorBody, 429: errorBody },
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
        body: z.strictObject({ password: passwordField, email: z.string().max(254).optional() }),
        response: { 200: z.object({ ok: z.boolean(), score: z.number().int().min(0).max(4), rule: z.string().optional(), message: z.string().optional() }) },
      },
    },
    async (request) => {
      const result = checkPassword(request.body.password, { email: request.body.email ?? '' }, { requireComposition: deps.config.passwordRequireComposition });
      return result.ok ? { ok: true, score: result.score } : { ok: false, score: result.score, rule: result.rule, message: result.message };
    },
  );

  r.post(
    '/api/auth/verify-email',
    {
      schema: {
        tags,
        summary: 'Verify an email address with the link token or the 6-digit code',
        body: verifyEmailBody,
        response: { 200: statusBody('verified'), 400: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { token, email, code } = request.body;
      const device = context.cookies.name('device');
      const input = token !== undefined ? { token } : { email: email ?? '', code: code ?? '' };
      const result = await verifyEmail(deps, input, clientOf(request), request.cookies[device]);
      reply.setCookie(device, result.deviceCookie, context.cookies.options(DEVICE_COOKIE_MS));
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
        body: z.strictObject({ email: emailField }),
        response: { 202: statusBody('check_email'), 429: errorBody },
      },
    },
    async (request, reply) => {
      await resendVerification(deps, request.body, clientOf(request));
      return reply.status(202).send({ status: 'check_email' as const });
    },
  );
}
