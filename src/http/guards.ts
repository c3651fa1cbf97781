/**
 * The session guard every authenticated route uses: a live session from the cookie, or 401. A
 * restricted session (an account that has not enrolled its mandatory second factor yet) passes
 * only where `allowRestricted` is set. An account that has not accepted the current terms of
 * service (TERMS_VERSION changed since) passes only where `beforeTerms` is set: the account, the
 * acceptance and signing out; everything else answers 403 terms_not_accepted until it accepts.
 * A guard rather than one more sign-in step: it holds every way into a session (password and
 * factor, passkey, device confirmation) and sessions already open when TERMS_VERSION changes, with
 * one check; and it only ever speaks to a session, so the password alone learns nothing of it.
 * Step-up is the one guard in factors/step-up-guard.ts.
 * Also here: setting and clearing the session cookie.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEVICE_COOKIE_MS } from '../account/devices.ts';
import { findLiveSessionWithUser, type Session } from '../account/sessions.ts';
import { isStaffLocked } from '../account/staff-lock.ts';
import type { User } from '../account/users.ts';
import { forbidden, unauthorized } from '../errors/app-error.ts';
import type { FactorAdded } from '../factors/enrollment.ts';
import type { RouteContext } from './route-context.ts';

export interface Authenticated {
  session: Session;
  user: User;
}

export async function authenticate(request: FastifyRequest, context: RouteContext, options: { allowRestricted?: boolean; beforeTerms?: boolean } = {}): Promise<Authenticated> {
  const token = request.cookies[context.cookies.name('session')];
  const found = token ? await findLiveSessionWithUser(context.deps, token) : undefined;
  const session = found?.session;
  const user = found?.user;
  // A frozen or staff-locked account has no sessions (both end them); this also covers one created in a race.
  if (!session || !user || user.frozen_at !== null || isStaffLocked(user)) throw unauthorized('not_authenticated', 'Sign in to continue.');
  if (session.restricted && !options.allowRestricted) {
    throw forbidden('enroll_2fa_required', 'Set up two-factor authentication to continue: it is required for every account.');
  }
  if (user.terms_version !== context.deps.config.terms.version && !options.beforeTerms) {
    throw forbidden('terms_not_accepted', 'The terms of service have changed: accept them to continue (POST /api/me/terms).');
  }
  return { session, user };
}

export function setSessionCookie(reply: FastifyReply, context: RouteContext, token: string): void {
  reply.setCookie(context.cookies.name('session'), token, context.cookies.options(context.deps.config.session.absoluteLifetimeMs));
}

export function clearSessionCookie(reply: FastifyReply, context: RouteContext): void {
  reply.clearCookie(context.cookies.name('session'), context.cookies.options());
}

/** Sets the long-lived device cookie (a known device). */
export function setDeviceCookie(reply: FastifyReply, context: RouteContext, value: string): void {
  reply.setCookie(context.cookies.name('device'), value, context.cookies.options(DEVICE_COOKIE_MS));
}

/** After a strong factor was added: the session's new token, and the device cookie when it became a known device. */
export function setFactorAddedCookies(reply: FastifyReply, context: RouteContext, result: FactorAdded): void {
  setSessionCookie(reply, context, result.newSessionToken);
  if (result.deviceCookie) setDeviceCookie(reply, context, result.deviceCookie);
}
