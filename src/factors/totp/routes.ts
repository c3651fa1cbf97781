/** The authenticator app's own endpoints: start enrolling, then confirm with a first code. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { totpConfirmAnswer, totpConfirmBody, totpSetupAnswer } from '../../contracts/two-factor.ts';
import { authenticate, setFactorAddedCookies } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { confirmTotp, setupTotp } from './enrollment.ts';

const tags = ['Two-factor'];
const security = [{ session: [] }];

export async function totpRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.post(
    '/api/me/2fa/totp/setup',
    {
      schema: {
        tags,
        summary: 'Start enrolling an authenticator app',
        description: 'Returns the secret (base32), its otpauth:// URI and QR codes. Replacing an existing authenticator needs a fresh step-up.',
        security,
        response: { 200: totpSetupAnswer, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true });
      return setupTotp(deps, user, session, clientOf(request));
    },
  );

  r.post(
    '/api/me/2fa/totp/confirm',
    {
      schema: {
        tags,
        summary: 'Activate the authenticator app with its first code',
        description: 'The first second factor of an account also returns its 10 backup codes, shown this once.',
        security,
        body: totpConfirmBody,
        response: { 200: totpConfirmAnswer, 400: errorBody, 401: errorBody },
      },
    },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true });
      const result = await confirmTotp(deps, user, session, { code: request.body.code, deviceCookie: request.cookies[context.cookies.name('device')] }, clientOf(request));
      setFactorAddedCookies(reply, context, result);
      return { status: 'enabled' as const, ...(result.backupCodes ? { backupCodes: result.backupCodes } : {}) };
    },
  );
}
