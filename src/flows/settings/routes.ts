/** Account settings over HTTP: the account and its security status, the password, the anti-phishing code. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { changePasswordAnswer, changePasswordBody, meBody } from '../../contracts/me.ts';
import { antiPhishingBody, antiPhishingRemovedAnswer, antiPhishingSetAnswer } from '../../contracts/security-center.ts';
import { requireStepUp } from '../../factors/step-up-guard.ts';
import { authenticate } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { setAntiPhishingCode } from './anti-phishing.ts';
import { describeMe } from './me.ts';
import { changePassword } from './password-change.ts';

const security = [{ session: [] }];

export async function settingsRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.get(
    '/api/me',
    { schema: { tags: ['Account'], summary: 'The signed-in user and their security status', security, response: { 200: meBody, 401: errorBody } } },
    async (request) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true });
      return describeMe(deps, user, session);
    },
  );

  r.post(
    '/api/me/password',
    {
      schema: {
        tags: ['Account'],
        summary: 'Change the password (needs a fresh step-up)',
        description: 'Ends every other session and emails the owner.',
        security,
        body: changePasswordBody,
        response: { 200: changePasswordAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(deps, session);
      await changePassword(deps, user, session, request.body, clientOf(request));
      return { status: 'password_changed' as const };
    },
  );

  r.put(
    '/api/me/anti-phishing-code',
    {
      schema: {
        tags: ['Security center'],
        summary: 'Set or change the anti-phishing code shown in every email (needs step-up)',
        description: '4 to 20 letters, digits, _ or -. Emails the owner and holds withdrawals for 24 hours.',
        security,
        body: antiPhishingBody,
        response: { 200: antiPhishingSetAnswer, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(deps, session);
      await setAntiPhishingCode(deps, user, request.body.code, clientOf(request));
      return { status: 'set' as const };
    },
  );

  r.delete(
    '/api/me/anti-phishing-code',
    { schema: { tags: ['Security center'], summary: 'Remove the anti-phishing code (needs step-up)', security, response: { 200: antiPhishingRemovedAnswer, 401: errorBody, 403: errorBody } } },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(deps, session);
      await setAntiPhishingCode(deps, user, null, clientOf(request));
      return { status: 'removed' as const };
    },
  );
}
