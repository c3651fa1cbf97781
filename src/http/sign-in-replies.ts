/** How a finished sign-in answers the browser, whichever way it was made (password + factor, or a passkey alone). */
import type { FastifyReply } from 'fastify';
import type { RouteContext } from './route-context.ts';
import { toPublicUser } from '../contracts/common.ts';
import { setDeviceCookie, setSessionCookie } from './guards.ts';
import type { SignedIn } from '../flows/login/complete.ts';
import { DEVICE_CONFIRMATION_TTL_MS } from '../flows/login/device-confirmation.ts';
import { FLOW_TTL_MS } from '../flows/login/flows.ts';

/** Binds a sign-in flow to this browser: long enough for a new-device confirmation too (each step has its own expiry). */
export function setFlowCookie(reply: FastifyReply, context: RouteContext, binding: string): void {
  reply.setCookie(context.cookies.name('flow'), binding, context.cookies.options(FLOW_TTL_MS + DEVICE_CONFIRMATION_TTL_MS));
}

/** Session cookie, device cookie, no more flow cookie; the body is `{user}`. */
export function signedInReply(reply: FastifyReply, context: RouteContext, result: SignedIn) {
  const { cookies } = context;
  reply.clearCookie(cookies.name('flow'), cookies.options());
  setDeviceCookie(reply, context, result.deviceCookie);
  setSessionCookie(reply, context, result.session.token);
  return { user: toPublicUser(result.user) };
}
