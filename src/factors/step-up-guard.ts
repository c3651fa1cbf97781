/**
 * The one step-up guard (OWASP ASVS 5.0 V6.8, NIST SP 800-63B rev 4 reauthentication): a strong
 * factor (a passkey or the authenticator app) shown in this session within STEP_UP_MAX_AGE, or 403
 * step_up_required naming the strong factors the account can use. Emailed codes and backup codes
 * never count. Routes call it for sensitive actions; services that add factors call it too.
 */
import type { Session } from '../account/sessions.ts';
import type { Deps } from '../deps.ts';
import { forbidden } from '../errors/app-error.ts';
import { strongMethods } from './registry.ts';

export function isStepUpFresh(session: Session, now: number, maxAgeMs: number): boolean {
  return session.step_up_at !== null && now - session.step_up_at < maxAgeMs;
}

export async function requireStepUp(deps: Deps, session: Session): Promise<void> {
  const { clock, config } = deps;
  if (!isStepUpFresh(session, clock.now(), config.session.stepUpMaxAgeMs)) {
    throw forbidden('step_up_required', 'Confirm it is you with your passkey or authenticator app first.', {
      stepUp: { methods: await strongMethods(deps.store.db, session.user_id), endpoint: '/api/auth/step-up' },
    });
  }
}
