/**
 * Step-up: re-proving a strong factor within the session for sensitive actions (the guard that asks
 * for it: factors/step-up-guard.ts). Any factor that serves the step-up purpose will do (the
 * registry says: a passkey or the authenticator app; never an emailed code or a backup code).
 * Success refreshes the session's step-up time and, being a privilege change, its token.
 */
import { carryOutDueResetOf } from '../two-factor-reset/carry-out.ts';
import { unauthorized } from '../../errors/app-error.ts';
import { rotateSession, type Session } from '../../account/sessions.ts';
import type { User } from '../../account/users.ts';
import { self, userActor } from '../../audit/audit.ts';
import type { ClientInfo } from '../../client/client-info.ts';
import type { Deps } from '../../deps.ts';
import { prepareFactor, proveFactor } from '../../factors/prove.ts';
import type { SecondFactorId } from '../../factors/registry.ts';
import type { Ceremony, FactorAnswer } from '../../factors/types.ts';

const ceremony = (session: Session): Ceremony => ({ purpose: 'step_up', boundTo: `session:${session.id}`, role: 'second' });

/** Prepares a step-up ceremony (a passkey's options). */
export function prepareStepUp(deps: Deps, user: User, session: Session, method: SecondFactorId, client: ClientInfo) {
  return prepareFactor(deps, { factor: method, user, client, ceremony: ceremony(session), actor: userActor(user.id) });
}

/** Returns the session's new token. */
export async function stepUp(deps: Deps, user: User, session: Session, input: { method: SecondFactorId; answer: FactorAnswer }, client: ClientInfo): Promise<string> {
  // A lost-2FA reset due now is carried out first: it ends this session, and the old factor never steps up.
  if (await carryOutDueResetOf(deps, user.id)) throw unauthorized('not_authenticated', 'Your session has ended. Sign in again.');
  return proveFactor(deps, {
    factor: input.method,
    ceremony: ceremony(session),
    user,
    answer: input.answer,
    client,
    actor: userActor(user.id),
    onSuccess: async (tx) => {
      const token = await rotateSession(tx, session.id, { step_up_at: deps.clock.now() });
      await deps.audit.record(tx, { type: 'session.step_up', ...self(user.id), client, data: { method: input.method, sessionId: session.id } });
      return token;
    },
  });
}
