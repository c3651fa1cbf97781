/** Step-up over HTTP: re-confirm a strong factor in this session (and a passkey's options for it). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { optionsReply } from '../../contracts/passkeys.ts';
import { stepUpAnswer, stepUpBody, stepUpOptionsAnswer } from '../../contracts/step-up.ts';
import { authenticate, setSessionCookie } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { prepareStepUp, stepUp } from './step-up.ts';

const tags = ['Sign-in'];
const security = [{ session: [] }];

export async function stepUpRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.post(
    '/api/auth/step-up',
    {
      schema: {
        tags,
        summary: 'Re-confirm a strong factor for sensitive actions',
        description:
          `Refreshes step-up for this session (valid ${deps.config.session.stepUpMaxAgeMs / 60_000} minutes) with an authenticator code or a passkey ` +
          '(options from /api/auth/step-up/passkey-options). Emailed codes and backup codes are not accepted.',
        security,
        body: stepUpBody,
        response: { 200: stepUpAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context);
      const body = request.body;
      const answer = body.method === 'passkey' ? { credential: body.credential } : { code: body.code };
      const token = await stepUp(deps, user, session, { method: body.method, answer }, clientOf(request));
      setSessionCookie(reply, context, token);
      return { status: 'ok' as const, stepUpExpiresAt: new Date(deps.clock.now() + deps.config.session.stepUpMaxAgeMs).toISOString() };
    },
  );

  r.post(
    '/api/auth/step-up/passkey-options',
    {
      schema: {
        tags,
        summary: 'Options to step up with a passkey',
        description: "Pass `options` to the browser's navigator.credentials.get (e.g. @simplewebauthn/browser startAuthentication), then send the result to /api/auth/step-up.",
        security,
        response: { 200: stepUpOptionsAnswer, 400: errorBody, 401: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      return optionsReply((await prepareStepUp(deps, user, session, 'passkey', clientOf(request))) as { challenge: string });
    },
  );
}
