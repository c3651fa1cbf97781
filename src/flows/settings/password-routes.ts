import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { errorBody, passwordField, statusBody } from '../../http/schemas.ts';
import { authenticate, requireStepUp } from '../../http/guards.ts';
import { changePassword } from './password-change.ts';

export async function accountRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/me/password',
    {
      schema: {
        tags: ['Account'],
        summary: 'Change the password (needs a fresh step-up)',
        description: 'Ends every other session and emails the owner.',
        security: [{ session: [] }],
        body: z.strictObject({ currentPassword: passwordField, newPassword: passwordField }),
        response: { 200: statusBody('password_changed'), 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(context.deps, session);
      await changePassword(context.deps, user, session, request.body, clientOf(request));
      return { status: 'password_changed' as const };
    },
  );
}
