/** How a finished sign-in answers the browser, whichever way it was made (password + factor, or a passkey alone). */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { RouteContext } from '../../app.ts';
import { publicUser, toPublicUser } from '../../http/schemas.ts';
import { DEVICE_COOKIE_MS } from '../../account/devices.ts';
import { setSessionCookie } from '../../http/guards.ts';
import type { SignedIn } from './complete.ts';
import { DEVICE_CONFIRMATION_TTL_MS } from './device-confirmation.ts';
import { FLOW_TTL_MS } from './flows.ts';

/** A step that ends a sign-in: signed in (`{user}`), or first a new device to confirm by email. */
export const signInAnswer = z.union([z.object({ user: publicUser }), z.object({ flow: z.string(), next: z.array(z.literal('confirm_device')) })]);

/** Binds a sign-in flow to this browser: long enough for a new-device confirmation too (each step has its own expiry). */
export function setFlowCookie(reply: FastifyReply, context: RouteContext, binding: string): void {
  reply.setCookie(context.cookies.name('flow'), binding, context.cookies.options(FLOW_TTL_MS + DEVICE_CONFIRMATION_TTL_MS));
}

/** Session cookie, device cookie, no more flow cookie; the body is `{user}`. */
export function signedInReply(reply: FastifyReply, context: RouteContext, result: SignedIn) {
  const { cookies } = context;
  reply.clearCookie(cookies.name('flow'), cookies.options());
  reply.setCookie(cookies.name('device'), result.deviceCookie, cookies.options(DEVICE_COOKIE_MS));
  setSessionCookie(reply, context, result.session.token);
  return { user: toPublicUser(result.user) };
}
