/** Sign-in over HTTP: the password step, the second factor, new-device confirmation, a passkey alone, sign-out. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../../contracts/common.ts';
import {
  confirmDeviceAnswer,
  confirmDeviceBody,
  confirmDevicePreviewAnswer,
  confirmDevicePreviewBody,
  emailCodeAnswer,
  flowBody,
  passkeySignInBody,
  passkeySignInOptionsAnswer,
  passkeySignInOptionsBody,
  passwordStepAnswer,
  passwordStepBody,
  secondFactorBody,
  secondFactorOptionsAnswer,
  signInAnswer,
  signOutAnswer,
  type SecondFactorBody,
} from '../../contracts/login.ts';
import { optionsReply } from '../../contracts/passkeys.ts';
import type { FactorAnswer } from '../../factors/types.ts';
import { CHALLENGE_TTL_MS } from '../../factors/passkey/challenges.ts';
import { authenticate, clearSessionCookie, setSessionCookie } from '../../http/guards.ts';
import { clientOf } from '../../http/request-context.ts';
import type { RouteContext } from '../../http/route-context.ts';
import { setFlowCookie, signedInReply } from '../../http/sign-in-replies.ts';
import type { SignedIn } from './complete.ts';
import { confirmDevice, previewConfirmation } from './device-confirmation.ts';
import { passwordlessOptions, passwordlessSignIn } from './passwordless.ts';
import { passwordStep } from './password-step.ts';
import { signOut } from './sign-out.ts';
import { prepareSecondFactor, secondFactorStep } from './second-factor.ts';

const tags = ['Sign-in'];
/** A step that may end a sign-in: signed in, or a new device to confirm first. */
const signInResponses = { 200: signInAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody };

/** The answer of a second-factor body, as the factors take it. */
function answerOf(body: SecondFactorBody): FactorAnswer {
  return body.method === 'passkey' ? { credential: body.credential } : { code: body.code };
}

export async function loginRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps, cookies } = context;
  const flowCookie = cookies.name('flow');

  r.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: 'Step 1: email and password',
        description:
          'Starts a sign-in flow (10 minutes, bound to this browser by a cookie). `next` lists the second-factor methods to finish with, ' +
          'or `["enroll_2fa"]` for an account without one yet: it then also gets a restricted session that can only enroll. ' +
          'From a browser such an account does not know (not the one that verified the email), it is `["confirm_device"]` first: ' +
          'the inbox confirms the browser (see /api/auth/login/confirm-device), and that answer brings the restricted session. ' +
          'A wrong password and an unknown email get the same answer. Locked or throttled: 429 with Retry-After.',
        body: passwordStepBody,
        response: {
          200: passwordStepAnswer,
          401: errorBody,
          403: errorBody,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await passwordStep(deps, { ...request.body, deviceCookie: request.cookies[cookies.name('device')] }, clientOf(request));
      setFlowCookie(reply, context, result.binding);
      if (result.restrictedSession) setSessionCookie(reply, context, result.restrictedSession.token);
      return { flow: result.flowId, next: result.next };
    },
  );

  r.post(
    '/api/auth/login/email-code',
    {
      schema: {
        tags,
        summary: 'Email a 6-digit sign-in code for this flow',
        body: flowBody,
        response: { 202: emailCodeAnswer, 400: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      await prepareSecondFactor(
        deps,
        { flowId: request.body.flow, binding: request.cookies[flowCookie], deviceCookie: request.cookies[cookies.name('device')], method: 'email_code' },
        clientOf(request),
      );
      return reply.status(202).send({ status: 'sent' as const });
    },
  );

  r.post(
    '/api/auth/login/passkey-options',
    {
      schema: {
        tags,
        summary: 'Options to finish this flow with a passkey',
        description: "Pass `options` to navigator.credentials.get (e.g. @simplewebauthn/browser startAuthentication), then send the result to /api/auth/login/verify with method `passkey`.",
        body: flowBody,
        response: { 200: secondFactorOptionsAnswer, 400: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request) =>
      optionsReply(
        (await prepareSecondFactor(
          deps,
          { flowId: request.body.flow, binding: request.cookies[flowCookie], deviceCookie: request.cookies[cookies.name('device')], method: 'passkey' },
          clientOf(request),
        )) as { challenge: string },
      ),
  );

  const signInReply = (reply: FastifyReply, result: SignedIn) => signedInReply(reply, context, result);

  r.post(
    '/api/auth/login/verify',
    {
      schema: {
        tags,
        summary: 'Step 2: the second factor; starts the session (or asks to confirm a new device)',
        description:
          'Sets the session cookie and answers `{user}`. From a new device (or with risk signals) there is no session yet: ' +
          'the answer is `{flow, next: ["confirm_device"]}` and the owner is emailed a link and a code (see /api/auth/login/confirm-device). ' +
          'Five wrong codes (or refused passkeys) end the flow; ten across flows lock the account for 15 minutes.',
        body: secondFactorBody,
        response: signInResponses,
      },
    },
    async (request, reply) => {
      const result = await secondFactorStep(
        deps,
        {
          flowId: request.body.flow,
          binding: request.cookies[flowCookie],
          deviceCookie: request.cookies[cookies.name('device')],
          method: request.body.method,
          answer: answerOf(request.body),
        },
        clientOf(request),
      );
      if (result.kind === 'confirm_device') return { flow: request.body.flow, next: ['confirm_device' as const] };
      return signInReply(reply, result);
    },
  );

  r.post(
    '/api/auth/login/confirm-device',
    {
      schema: {
        tags,
        summary: 'Step 3 (new devices): confirm the device with the emailed code or link',
        description:
          'In the browser that is signing in: `{flow, code}` with the emailed code completes the sign-in (session cookie, `{user}`); ' +
          '`{flow}` alone completes it once the emailed link was opened (400 device_not_confirmed before). ' +
          'The link page sends `{token}` once its button is pressed (it shows /api/auth/login/confirm-device/preview first): ' +
          'in the same browser it completes the sign-in, elsewhere it answers `{status: "confirmed"}`.',
        body: confirmDeviceBody,
        response: { 200: confirmDeviceAnswer, 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const result = await confirmDevice(
        deps,
        {
          flowId: request.body.flow,
          code: request.body.code,
          token: request.body.token,
          binding: request.cookies[flowCookie],
          deviceCookie: request.cookies[cookies.name('device')],
        },
        clientOf(request),
      );
      if (result.kind === 'confirmed') return { status: 'confirmed' as const };
      return signInReply(reply, result);
    },
  );

  r.post(
    '/api/auth/login/confirm-device/preview',
    {
      schema: {
        tags,
        summary: 'What an emailed new-device link would confirm, without using it',
        description:
          'The link page shows the sign-in it confirms (device, IP, location, time) and confirms only when its button is pressed, ' +
          'so a mail scanner that opens the link confirms nothing. 400 invalid_token when the link can no longer confirm.',
        body: confirmDevicePreviewBody,
        response: { 200: confirmDevicePreviewAnswer, 400: errorBody },
      },
    },
    async (request) => {
      const preview = await previewConfirmation(deps, { token: request.body.token, binding: request.cookies[flowCookie] });
      return { ...preview, at: new Date(preview.at).toISOString(), expiresAt: new Date(preview.expiresAt).toISOString() };
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
        body: passkeySignInOptionsBody,
        response: { 200: passkeySignInOptionsAnswer, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { options, binding } = await passwordlessOptions(deps, clientOf(request));
      reply.setCookie(cookies.name('passkey'), binding, cookies.options(CHALLENGE_TTL_MS));
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
        body: passkeySignInBody,
        response: signInResponses,
      },
    },
    async (request, reply) => {
      const outcome = await passwordlessSignIn(
        deps,
        { credential: request.body.credential, binding: request.cookies[cookies.name('passkey')], deviceCookie: request.cookies[cookies.name('device')] },
        clientOf(request),
      );
      reply.clearCookie(cookies.name('passkey'), cookies.options());
      if (outcome.result.kind === 'signed_in') return signedInReply(reply, context, outcome.result);
      setFlowCookie(reply, context, outcome.flowBinding);
      return { flow: outcome.flowId, next: ['confirm_device' as const] };
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { tags, summary: 'End this session on the server', security: [{ session: [] }], response: { 200: signOutAnswer, 401: errorBody } } },
    async (request, reply) => {
      const { user, session } = await authenticate(request, context, { allowRestricted: true, beforeTerms: true });
      await signOut(deps, user, session, clientOf(request));
      clearSessionCookie(reply, context);
      return { status: 'signed_out' as const };
    },
  );
}
