import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { codeField, emailField, errorBody, passwordField, statusBody, tokenField } from '../../http/schemas.ts';
import { authenticationCredential, optionsBody, optionsReply } from '../../factors/passkey/schemas.ts';
import { forgotPassword, resetPasskeyOptions, resetPassword, unlockWithToken } from './service.ts';

const tags = ['Recovery'];

export async function recoveryRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.post(
    '/api/auth/password/forgot',
    {
      schema: {
        tags,
        summary: 'Email a password reset link',
        description: 'Always answers 202, whether or not the address has an account. Rate-limited per address and per IP.',
        body: z.strictObject({ email: emailField }),
        response: { 202: statusBody('check_email'), 429: errorBody },
      },
    },
    async (request, reply) => {
      await forgotPassword(deps, request.body, clientOf(request));
      return reply.status(202).send({ status: 'check_email' as const });
    },
  );

  r.post(
    '/api/auth/password/reset',
    {
      schema: {
        tags,
        summary: 'Choose a new password with the emailed link and the second factor',
        description:
          'Ends every session. When the account has 2FA it needs a second factor: `code` (an authenticator code or a backup code), ' +
          'or `method: "passkey"` with `credential` (options from /api/auth/password/reset/passkey-options).',
        body: z.strictObject({
          token: tokenField,
          password: passwordField,
          code: codeField.optional(),
          method: z.enum(['totp', 'backup_code', 'passkey']).optional(),
          credential: authenticationCredential.optional(),
        }),
        response: { 200: statusBody('password_reset'), 400: errorBody, 401: errorBody, 429: errorBody },
      },
    },
    async (request) => {
      await resetPassword(deps, request.body, clientOf(request));
      return { status: 'password_reset' as const };
    },
  );

  r.post(
    '/api/auth/password/reset/passkey-options',
    {
      schema: {
        tags,
        summary: 'Options to confirm a password reset with a passkey',
        description: 'For the account of the emailed reset link; 400 no_passkey when it has none.',
        body: z.strictObject({ token: tokenField }),
        response: { 200: optionsBody, 400: errorBody },
      },
    },
    async (request) => optionsReply(await resetPasskeyOptions(deps, request.body)),
  );

  r.post(
    '/api/auth/unlock',
    {
      schema: {
        tags,
        summary: 'Unlock a locked account with the single-use link from the lock email',
        body: z.strictObject({ token: tokenField }),
        response: { 200: statusBody('unlocked'), 400: errorBody },
      },
    },
    async (request) => {
      await unlockWithToken(deps, request.body, clientOf(request));
      return { status: 'unlocked' as const };
    },
  );
}
