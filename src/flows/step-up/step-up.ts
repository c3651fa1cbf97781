/**
 * Step-up: re-proving a strong factor (a passkey or the authenticator app) within the session, for
 * sensitive actions. Success refreshes the session's step-up time and, being a privilege change,
 * its token. Emailed codes and backup codes are never accepted.
 */
import type { Deps } from '../../deps.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import { consumeTotp, withCodeLockout } from '../../factors/prove.ts';
import { factorOptions, passkeyCheck } from '../../factors/passkey/factor.ts';
import type { AuthenticationCredential } from '../../factors/passkey/schemas.ts';
import type { User } from '../../account/users.ts';
import { rotateSession, type Session } from '../../account/sessions.ts';

export type StepUpInput = { method: 'totp'; code: string } | { method: 'passkey'; credential: AuthenticationCredential };

const ceremony = (session: Session) => ({ purpose: 'step_up' as const, boundTo: `session:${session.id}` });

export function stepUpPasskeyOptions(deps: Deps, user: User, session: Session) {
  return factorOptions(deps, user, ceremony(session));
}

export async function stepUp(deps: Deps, user: User, session: Session, input: StepUpInput, client: ClientInfo): Promise<string> {
  const check =
    input.method === 'totp'
      ? (tx: Parameters<typeof consumeTotp>[1]) => consumeTotp(deps, tx, user, input.code)
      : await passkeyCheck(deps, { user, ceremony: ceremony(session), credential: input.credential, client });
  return withCodeLockout(deps, user, client, input.method, check, async (tx) => {
    const token = await rotateSession(tx, session.id, { step_up_at: deps.clock.now() });
    await deps.audit.record(tx, { type: 'session.step_up', userId: user.id, ip: client.ip, userAgent: client.userAgent, data: { method: input.method, sessionId: session.id } });
    return token;
  });
}
