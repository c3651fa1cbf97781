/** How a finished sign-in answers the browser, whichever way it was made (password + factor, or a passkey alone). */
import type { FastifyReply } from 'fastify';
import type { RouteContext } from '../../app.ts';
import { toPublicUser } from '../../http/schemas.ts';
import { DEVICE_COOKIE_MS } from '../security-center/devices.ts';
import { setSessionCookie } from '../sessions/guard.ts';
import type { SignedIn } from './complete.ts';

/** Session cookie, device cookie, no more flow cookie; the body is `{user}`. */
export function signedInReply(reply: FastifyReply, context: RouteContext, result: SignedIn) {
  const { cookies } = context;
  reply.clearCookie(cookies.name('flow'), cookies.options());
  reply.setCookie(cookies.name('device'), result.deviceCookie, cookies.options(DEVICE_COOKIE_MS));
  setSessionCookie(reply, context, result.session.token);
  return { user: toPublicUser(result.user) };
}
