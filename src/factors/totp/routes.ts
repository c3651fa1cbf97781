import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { codeField, errorBody } from '../../http/schemas.ts';
import { DEVICE_COOKIE_MS } from '../../account/devices.ts';
import { authenticate, requireStepUp, setSessionCookie } from '../../http/guards.ts';
import { confirmTotp, regenerateBackupCodes, setupTotp } from './enrollment.ts';

const tags = ['Two-factor'];
const security = [{ session: [] }];

export async function mfaRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
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
        response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string(), qrPng: z.string(), qrSvg: z.string() }), 401: errorBody, 403: errorBody },
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
        body: z.strictObject({ code: codeField }),
        response: { 200: z.object({ status: z.literal('enabled'), backupCodes: z.array(z.string()).optional() }), 400: errorBody, 401: errorBody },
      },
    },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true });
      const result = await confirmTotp(deps, user, session, { code: request.body.code, deviceCookie: request.cookies[context.cookies.name('device')] }, clientOf(request));
      setSessionCookie(reply, context, result.newSessionToken);
      if (result.deviceCookie) reply.setCookie(context.cookies.name('device'), result.deviceCookie, context.cookies.options(DEVICE_COOKIE_MS));
      return { status: 'enabled' as const, ...(result.backupCodes ? { backupCodes: result.backupCodes } : {}) };
    },
  );

  r.post(
    '/api/me/2fa/backup-codes',
    {
      schema: {
        tags,
        summary: 'Replace the backup codes (needs a fresh step-up)',
        security,
        response: { 200: z.object({ backupCodes: z.array(z.string()) }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(context.deps, session);
      return { backupCodes: await regenerateBackupCodes(deps, user, clientOf(request)) };
    },
  );
}
