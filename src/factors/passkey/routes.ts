/** A passkey's own endpoints: add one (options, then the browser's response), list, rename, remove. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import {
  addPasskeyAnswer,
  addPasskeyBody,
  registrationOptionsAnswer,
  optionsReply,
  passkeyDeletedAnswer,
  passkeyIdParams,
  passkeyList,
  renamePasskeyAnswer,
  renamePasskeyBody,
} from '../../contracts/passkeys.ts';
import { authenticate, setFactorAddedCookies } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { describePasskeys, removePasskey, renamePasskey } from './management.ts';
import { addPasskey, registrationOptions } from './registration.ts';

const tags = ['Passkeys'];
const security = [{ session: [] }];

export async function passkeyRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps, cookies } = context;
  const deviceCookie = cookies.name('device');

  r.post(
    '/api/me/passkeys/registration-options',
    {
      schema: {
        tags,
        summary: 'Start adding a passkey',
        description:
          "Pass `options` to navigator.credentials.create (e.g. @simplewebauthn/browser startRegistration) and send the result to POST /api/me/passkeys. " +
          'Allowed in the restricted session of an account enrolling its first second factor; once the account has one, it needs a fresh step-up.',
        security,
        response: { 200: registrationOptionsAnswer, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true });
      return optionsReply(await registrationOptions(deps, user, session));
    },
  );

  r.post(
    '/api/me/passkeys',
    {
      schema: {
        tags,
        summary: 'Finish adding a passkey',
        description:
          'A first second factor also returns the 10 backup codes (shown this once) and turns a restricted session into a full one. ' +
          'The owner is emailed; withdrawals are held after a passkey is added to an account that already had 2FA.',
        security,
        body: addPasskeyBody,
        response: {
          200: addPasskeyAnswer,
          400: errorBody,
          401: errorBody,
          403: errorBody,
          409: errorBody,
        },
      },
    },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true });
      const result = await addPasskey(deps, user, session, { ...request.body, deviceCookie: request.cookies[deviceCookie] }, clientOf(request));
      setFactorAddedCookies(reply, context, result);
      return { passkey: result.passkey, ...(result.backupCodes ? { backupCodes: result.backupCodes } : {}) };
    },
  );

  r.get(
    '/api/me/passkeys',
    { schema: { tags, summary: "The account's passkeys", security, response: { 200: passkeyList, 401: errorBody } } },
    async (request) => {
      const { user } = await authenticate(request, context);
      return { passkeys: await describePasskeys(deps, user) };
    },
  );

  r.patch(
    '/api/me/passkeys/:id',
    {
      schema: {
        tags,
        summary: 'Rename a passkey (needs a fresh step-up)',
        security,
        params: passkeyIdParams,
        body: renamePasskeyBody,
        response: { 200: renamePasskeyAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      return { passkey: await renamePasskey(deps, user, session, request.params.id, request.body.name, clientOf(request)) };
    },
  );

  r.delete(
    '/api/me/passkeys/:id',
    {
      schema: {
        tags,
        summary: 'Remove a passkey (needs a fresh step-up)',
        description: '409 last_strong_factor when the account would be left without a passkey or an authenticator app. The owner is emailed; withdrawals are held.',
        security,
        params: passkeyIdParams,
        response: { 200: passkeyDeletedAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await removePasskey(deps, user, session, request.params.id, clientOf(request));
      return { status: 'deleted' as const };
    },
  );
}
