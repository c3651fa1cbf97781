/** Recovery over HTTP: the forgotten-password link and reset (with the second factor), and the unlock link. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { optionsReply } from '../../contracts/passkeys.ts';
import {
  forgotPasswordAnswer,
  forgotPasswordBody,
  resetOptionsAnswer,
  resetOptionsBody,
  resetPasswordAnswer,
  resetPasswordBody,
  unlockAnswer,
  unlockBody,
  unlockPreviewAnswer,
  unlockPreviewBody,
} from '../../contracts/recovery.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { forgotPassword, resetPasskeyOptions, resetPassword } from './reset.ts';
import { previewUnlock, unlockWithToken } from './unlock.ts';

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
        body: forgotPasswordBody,
        response: { 202: forgotPasswordAnswer, 429: errorBody },
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
        body: resetPasswordBody,
        response: { 200: resetPasswordAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
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
        body: resetOptionsBody,
        response: { 200: resetOptionsAnswer, 400: errorBody },
      },
    },
    async (request) => optionsReply((await resetPasskeyOptions(deps, request.body, clientOf(request))) as { challenge: string }),
  );

  r.post(
    '/api/auth/unlock/preview',
    {
      schema: {
        tags,
        summary: 'What the unlock link from the lock email would unlock, without using it',
        description: 'The address, when its password lock began and when it ends by itself (null once it has). 400 invalid_token for a used or expired link.',
        body: unlockPreviewBody,
        response: { 200: unlockPreviewAnswer, 400: errorBody },
      },
    },
    async (request) => {
      const preview = await previewUnlock(deps, request.body);
      return {
        email: preview.email,
        lockedAt: new Date(preview.lockedAt).toISOString(),
        lockedUntil: preview.lockedUntil === null ? null : new Date(preview.lockedUntil).toISOString(),
      };
    },
  );

  r.post(
    '/api/auth/unlock',
    {
      schema: {
        tags,
        summary: 'Unlock a locked account with the single-use link from the lock email',
        description: 'Lifts the password lock; the next lock after more wrong passwords is as long as it would have been without the unlock.',
        body: unlockBody,
        response: { 200: unlockAnswer, 400: errorBody },
      },
    },
    async (request) => {
      await unlockWithToken(deps, request.body, clientOf(request));
      return { status: 'unlocked' as const };
    },
  );
}
