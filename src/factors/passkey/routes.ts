import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { clientOf } from '../../http/request-context.ts';
import { errorBody, statusBody } from '../../http/schemas.ts';
import { setFlowCookie, signedInReply, signInAnswer } from '../../flows/login/replies.ts';
import { DEVICE_COOKIE_MS } from '../../account/devices.ts';
import { authenticate, setSessionCookie } from '../../http/guards.ts';
import { CHALLENGE_TTL_MS } from './challenges.ts';
import { describePasskeys, removePasskey, renamePasskey } from './management.ts';
import { passwordlessOptions, passwordlessSignIn } from '../../flows/login/passwordless.ts';
import { addPasskey, registrationOptions } from './registration.ts';
import { authenticationCredential, optionsBody, optionsReply, passkeyName, publicPasskeyBody, registrationCredential } from './schemas.ts';

const tags = ['Passkeys'];
const security = [{ session: [] }];
const idParams = z.strictObject({ id: z.string().uuid({ message: 'must be a passkey id' }) });

export async function passkeyRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps, cookies } = context;
  const deviceCookie = cookies.name('device');
  const passkeyCookie = cookies.name('passkey');

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
        response: { 200: optionsBody, 401: errorBody, 403: errorBody },
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
        body: z.strictObject({ credential: registrationCredential, name: passkeyName.optional() }),
        response: {
          200: z.object({ passkey: publicPasskeyBody, backupCodes: z.array(z.string()).optional() }),
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
      setSessionCookie(reply, context, result.newSessionToken);
      if (result.deviceCookie) reply.setCookie(deviceCookie, result.deviceCookie, cookies.options(DEVICE_COOKIE_MS));
      return { passkey: result.passkey, ...(result.backupCodes ? { backupCodes: result.backupCodes } : {}) };
    },
  );

  r.get(
    '/api/me/passkeys',
    { schema: { tags, summary: "The account's passkeys", security, response: { 200: z.object({ passkeys: z.array(publicPasskeyBody) }), 401: errorBody } } },
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
        params: idParams,
        body: z.strictObject({ name: passkeyName }),
        response: { 200: z.object({ passkey: publicPasskeyBody }), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
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
        params: idParams,
        response: { 200: statusBody('deleted'), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const { user, session } = await authenticate(request, context);
      await removePasskey(deps, user, session, request.params.id, clientOf(request));
      return { status: 'deleted' as const };
    },
  );

  r.post(
    '/api/auth/passkey/options',
    {
      schema: {
        tags: ['Sign-in'],
        summary: 'Sign in with a passkey: options',
        description:
          'Options for a discoverable credential with user verification (also for passkey autofill: mediation "conditional"). ' +
          'Binds the challenge to this browser with a cookie; valid 5 minutes, once.',
        body: z.strictObject({}).optional(),
        response: { 200: optionsBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { options, binding } = await passwordlessOptions(deps, clientOf(request));
      reply.setCookie(passkeyCookie, binding, cookies.options(CHALLENGE_TTL_MS));
      return optionsReply(options);
    },
  );

  r.post(
    '/api/auth/passkey/verify',
    {
      schema: {
        tags: ['Sign-in'],
        summary: 'Sign in with a passkey: the signed response',
        description:
          'A passkey verified by its user (biometrics or PIN) is both factors: answers `{user}` with the session cookie, or from a new device ' +
          '`{flow, next: ["confirm_device"]}` (then /api/auth/login/confirm-device). Any refused passkey gets 401 invalid_credentials, as a wrong password ' +
          'does, and counts toward the lockout of the account it names.',
        body: z.strictObject({ credential: authenticationCredential }),
        response: {
          200: signInAnswer,
          400: errorBody,
          401: errorBody,
          403: errorBody,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      const outcome = await passwordlessSignIn(
        deps,
        { credential: request.body.credential, binding: request.cookies[passkeyCookie], deviceCookie: request.cookies[deviceCookie] },
        clientOf(request),
      );
      reply.clearCookie(passkeyCookie, cookies.options());
      if (outcome.result.kind === 'signed_in') return signedInReply(reply, context, outcome.result);
      setFlowCookie(reply, context, outcome.flowBinding);
      return { flow: outcome.flowId, next: ['confirm_device' as const] };
    },
  );
}
