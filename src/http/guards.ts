/**
 * The guards every authenticated route uses, in one place:
 * - `authenticate`: a live session from the cookie, or 401. A restricted session (an account that
 *   has not enrolled its mandatory second factor yet) passes only where `allowRestricted` is set.
 * - `requireStepUp`: a strong factor (TOTP or passkey) shown in this session within STEP_UP_MAX_AGE,
 *   or 403 step_up_required. Emailed codes never count as strong.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteContext } from '../app.ts';
import type { Deps } from '../deps.ts';
import { forbidden, unauthorized } from '../errors/app-error.ts';
import { strongMethods } from '../factors/registry.ts';
import { findUserById, type User } from '../account/users.ts';
import { findLiveSession, type Session } from '../account/sessions.ts';

export interface Authenticated {
  session: Session;
  user: User;
}

export async function authenticate(
  request: FastifyRequest,
  context: RouteContext,
  options: { allowRestricted?: boolean } = {},
): Promise<Authenticated> {
  const token = request.cookies[context.cookies.name('session')];
  const session = token ? await findLiveSession(context.deps, token) : undefined;
  const user = session ? await findUserById(context.deps.store.db, session.user_id) : undefined;
  // A frozen account has no sessions (freezing ends them); this also covers one created in a race.
  if (!session || !user || user.frozen_at !== null) throw unauthorized('not_authenticated', 'Sign in to continue.');
  if (session.restricted && !options.allowRestricted) {
    throw forbidden('enroll_2fa_required', 'Set up two-factor authentication to continue: it is required for every account.');
  }
  return { session, user };
}

export function isStepUpFresh(session: Session, now: number, maxAgeMs: number): boolean {
  return session.step_up_at !== null && now - session.step_up_at < maxAgeMs;
}

/** 403 step_up_required (naming the strong factors the account can use) unless step-up is fresh. */
export async function requireStepUp(deps: Deps, session: Session): Promise<void> {
  const { clock, config } = deps;
  if (!isStepUpFresh(session, clock.now(), config.session.stepUpMaxAgeMs)) {
    throw forbidden('step_up_required', 'Confirm it is you with your passkey or authenticator app first.', {
      stepUp: { methods: await strongMethods(deps.store.db, session.user_id), endpoint: '/api/auth/step-up' },
    });
  }
}

export function setSessionCookie(reply: FastifyReply, context: RouteContext, token: string): void {
  reply.setCookie(context.cookies.name('session'), token, context.cookies.options(context.deps.config.session.absoluteLifetimeMs));
}

export function clearSessionCookie(reply: FastifyReply, context: RouteContext): void {
  reply.clearCookie(context.cookies.name('session'), context.cookies.options());
}
