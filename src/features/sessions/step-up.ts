/**
 * Step-up: re-proving a strong factor (TOTP; passkeys later) within the session, for sensitive
 * actions. Success refreshes the session's step-up time and, being a privilege change, its token.
 */
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { consumeTotp, withCodeLockout } from '../mfa/second-factor.ts';
import type { User } from '../users/users.ts';
import { rotateSession, type Session } from './sessions.ts';

export async function stepUp(deps: Deps, user: User, session: Session, input: { method: 'totp'; code: string }, client: ClientInfo): Promise<string> {
  if (input.method !== 'totp') throw badRequest('weak_factor', 'Step-up needs your authenticator app or a passkey.');
  return withCodeLockout(
    deps,
    user,
    client,
    'totp',
    (tx) => consumeTotp(deps, tx, user, input.code),
    async (tx) => {
      const token = await rotateSession(tx, session.id, { step_up_at: deps.clock.now() });
      await deps.audit.record(tx, { type: 'session.step_up', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { method: 'totp', sessionId: session.id } });
      return token;
    },
  );
}
