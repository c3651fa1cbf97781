/** Account settings over HTTP: the account and its security status, the password, the email address, the anti-phishing code. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import { cancelEmailChangeBody, changeEmailAnswer, changeEmailBody, confirmEmailBody, emailChangeCancelledAnswer, emailChangedAnswer } from '../../contracts/email-change.ts';
import { acceptTermsAnswer, acceptTermsBody, changePasswordAnswer, changePasswordBody, meBody } from '../../contracts/me.ts';
import { antiPhishingBody, antiPhishingRemovedAnswer, antiPhishingSetAnswer } from '../../contracts/security-center.ts';
import { requireStepUp } from '../../factors/step-up-guard.ts';
import { authenticate, clearSessionCookie } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { setAntiPhishingCode } from './anti-phishing.ts';
import { cancelEmailChange, confirmEmailChange, requestEmailChange } from './email-change.ts';
import { describeMe } from './me.ts';
import { changePassword } from './password-change.ts';
import { acceptTerms } from './terms.ts';

const security = [{ session: [] }];

export async function settingsRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = context;

  r.get(
    '/api/me',
    { schema: { tags: ['Account'], summary: 'The signed-in user and their security status', security, response: { 200: meBody, 401: errorBody } } },
    async (request) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true, beforeTerms: true });
      return describeMe(deps, user, session);
    },
  );

  r.post(
    '/api/me/terms',
    {
      schema: {
        tags: ['Account'],
        summary: 'Accept the current terms of service',
        description: 'Asked of an account whose accepted version is not TERMS_VERSION (GET /api/me `terms.mustAccept`); until then other routes answer 403 terms_not_accepted.',
        security,
        body: acceptTermsBody,
        response: { 200: acceptTermsAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const { user } = await authenticate(request, context, { allowRestricted: true, beforeTerms: true });
      await acceptTerms(deps, user, request.body.version, clientOf(request));
      return { status: 'terms_accepted' as const };
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

  r.post(
    '/api/me/email',
    {
      schema: {
        tags: ['Account'],
        summary: 'Ask to change the email address (needs step-up)',
        description: 'Sends a code to the new address and a notice with a cancel link to the current one. The answer is the same whether or not another account has the new address.',
        security,
        body: changeEmailBody,
        response: { 200: changeEmailAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await requireStepUp(deps, session);
      return requestEmailChange(deps, user, session, request.body.newEmail, clientOf(request));
    },
  );

  r.post(
    '/api/me/email/confirm',
    {
      schema: {
        tags: ['Account'],
        summary: 'Confirm the new email address with the code sent to it',
        description: 'Ends every other session, holds withdrawals, and emails the old address a link that for 7 days reverts the change and locks the account.',
        security,
        body: confirmEmailBody,
        response: { 200: emailChangedAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      return confirmEmailChange(deps, user, session, request.body.code, clientOf(request));
    },
  );

  r.post(
    '/api/me/email/cancel',
    {
      schema: {
        tags: ['Account'],
        summary: "Cancel an email change from the old address's link (no sign-in): the old address comes back and the account is locked",
        body: cancelEmailChangeBody,
        response: { 200: emailChangeCancelledAnswer, 400: errorBody },
      },
    },
    async (request, reply) => {
      const { reverted } = await cancelEmailChange(deps, request.body.token, clientOf(request));
      clearSessionCookie(reply, context);
      return { status: 'email_change_cancelled' as const, reverted };
    },
  );
}
