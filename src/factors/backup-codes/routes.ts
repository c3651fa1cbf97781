/** The backup codes' own endpoint: replace them (after step-up). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { backupCodesAnswer } from '../../contracts/two-factor.ts';
import { authenticate } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { requireStepUp } from '../step-up-guard.ts';
import { regenerateBackupCodes } from './regenerate.ts';

export async function backupCodeRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/me/2fa/backup-codes',
    {
      schema: {
        tags: ['Two-factor'],
        summary: 'Replace the backup codes (needs a fresh step-up)',
        security: [{ session: [] }],
        response: { 200: backupCodesAnswer, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(context.deps, session);
      return { backupCodes: await regenerateBackupCodes(context.deps, user, clientOf(request)) };
    },
  );
}
