/**
 * A passkey as a factor of an account the caller already knows (second factor of a sign-in,
 * step-up, password reset): options listing the account's passkeys, then a `check` for
 * withCodeLockout, so wrong or foreign passkeys count toward the same lock as wrong codes.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Deps } from '../../deps.ts';
import { badRequest } from '../../errors/app-error.ts';
import type { ClientInfo } from '../../http/request-context.ts';
import type { Tx } from '../../store/database.ts';
import type { User } from '../../account/users.ts';
import { useAssertion } from './assertion.ts';
import { requestOptions, type Ceremony } from './ceremonies.ts';
import { assertLiveChallenge } from './challenges.ts';
import { enabledPasskeys } from './credentials.ts';
import type { AuthenticationCredential } from './schemas.ts';

export const noPasskey = () => badRequest('no_passkey', 'This account has no passkey. Use another way to confirm it is you.');

/**
 * Step-up guards the most sensitive actions: there the passkey must also verify its user (as every
 * passkey Bastion registered can). After a password, or with a reset link, possession is the factor.
 */
const needsUserVerification = (ceremony: Omit<Ceremony, 'userId'>) => ceremony.purpose === 'step_up';

export async function factorOptions(deps: Deps, user: User, ceremony: Omit<Ceremony, 'userId'>): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await enabledPasskeys(deps.store.db, user.id);
  if (passkeys.length === 0) throw noPasskey();
  const userVerification = needsUserVerification(ceremony) ? 'required' : 'preferred';
  return requestOptions(deps, deps.store.db, { ...ceremony, userId: user.id, allow: passkeys, userVerification });
}

/**
 * Checks first that the response answers a live challenge of this ceremony (400 challenge_expired
 * otherwise, before any attempt is counted), then returns the check to run in the transaction.
 */
export async function passkeyCheck(
  deps: Deps,
  input: { user: User; ceremony: Omit<Ceremony, 'userId'>; credential: AuthenticationCredential; client: ClientInfo },
): Promise<(tx: Tx) => Promise<boolean>> {
  const { ceremony, credential } = input;
  const challenge = await assertLiveChallenge(deps.store.db, credential.response.clientDataJSON, ceremony.purpose, ceremony.boundTo, deps.clock.now());
  return async (tx) => {
    const result = await useAssertion(deps, tx, {
      credential,
      challenge,
      ceremony: { ...ceremony, userId: input.user.id },
      ownerId: input.user.id,
      requireUserVerification: needsUserVerification(ceremony),
      client: input.client,
    });
    return result.ok;
  };
}
