/**
 * Step-up for an app (OpenID Connect Core §3.1.2.1, max_age and acr_values): the app may ask that the
 * user authenticated within max_age seconds, or showed a strong factor (passkey or authenticator
 * app, ACR_STRONG) within STEP_UP_MAX_AGE; prompt=login is max_age=0. They are judged on Bastion's session by Bastion's clock;
 * when not met, the interaction asks for the strong factor, in a live session too.
 */
import type { Session } from '../../account/sessions.ts';
import type { Deps } from '../../deps.ts';
import { isStepUpFresh } from '../../factors/step-up-guard.ts';
import { ACR_STRONG, lastAuthenticated } from './claims.ts';

/** Whether the app's request needs a strong factor more recent than this session shows. */
export function needsStepUp(deps: Deps, session: Session, params: Record<string, unknown>): boolean {
  const now = deps.clock.now();
  const acr = typeof params.acr_values === 'string' ? params.acr_values.split(' ') : [];
  if (acr.includes(ACR_STRONG) && !isStepUpFresh(session, now, deps.config.session.stepUpMaxAgeMs)) return true;
  // prompt=login asks for a sign-in now (OpenID Connect Core §3.1.2.1): as max_age=0.
  const prompts = typeof params.prompt === 'string' ? params.prompt.split(' ') : [];
  const maxAge = prompts.includes('login') ? 0 : params.max_age === undefined ? undefined : Number(params.max_age);
  // Whole seconds, as auth_time is: max_age=0 is met by a step-up this second.
  return maxAge !== undefined && Number.isFinite(maxAge) && Math.floor((now - lastAuthenticated(session)) / 1000) > maxAge;
}

