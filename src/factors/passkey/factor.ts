/**
 * A passkey (WebAuthn) as a factor of an account: strong (phishing-resistant, device-bound or
 * synced by its provider). Used after a password (possession is the factor), alone to sign in
 * (role `first`: it must also verify its user, so it is both factors), for step-up (user
 * verification required there too) and to confirm a password reset. Wrong or foreign passkeys count
 * toward the same lock as wrong codes; a live challenge is checked before any attempt is counted.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { AppError, badRequest } from '../../errors/app-error.ts';
import type { WebauthnChallengesTable } from '../../store/schema.ts';
import { refusing, type Ceremony, type Factor, type Verifier } from '../types.ts';
import { useAssertion } from './assertion.ts';
import { requestOptions } from './ceremonies.ts';
import { assertLiveChallenge } from './challenges.ts';
import { enabledPasskeys, passkeyCounts } from './credentials.ts';

export const noPasskey = () => badRequest('no_passkey', 'This account has no passkey. Use another way to confirm it is you.');
export const invalidPasskey = () => new AppError(401, 'invalid_passkey', 'That passkey was not accepted. Try again, or use another way to confirm it is you.');

/** The stored challenge's purpose for a ceremony. */
export function challengePurpose(ceremony: Ceremony): WebauthnChallengesTable['purpose'] {
  if (ceremony.role === 'first') return 'passwordless';
  switch (ceremony.purpose) {
    case 'step_up':
      return 'step_up';
    case 'password_reset':
      return 'reset';
    default:
      return 'second_factor';
  }
}

/**
 * Step-up guards the most sensitive actions, and a passkey alone must prove its user: there it must
 * verify its user (as every passkey Bastion registered can). After a password, or with a reset link,
 * possession is the factor.
 */
const needsUserVerification = (ceremony: Ceremony) => ceremony.role === 'first' || ceremony.purpose === 'step_up';

export const passkeyFactor: Factor<'passkey'> = {
  id: 'passkey',
  label: 'Passkey',
  strong: true,
  secondFactor: true,
  firstFactor: true,
  memorized: false,
  guessable: false,
  knownDeviceOnly: false,
  purposes: new Set(['sign_in', 'step_up', 'password_reset']),
  status: {
    counts: passkeyCounts,
    read: ({ all = 0, enabled = 0 }) => ({ enrolled: all > 0, usable: enabled > 0, count: enabled }),
  },
  /** Disabled passkeys go too: none of the account's authenticators may sign in after a reset. */
  async removeAll(tx, userId) {
    return Number((await tx.deleteFrom('passkeys').where('user_id', '=', userId).executeTakeFirst()).numDeletedRows);
  },
  /** Options listing the account's passkeys, for a challenge bound to the ceremony. */
  async prepare({ deps, user, ceremony }): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const passkeys = await enabledPasskeys(deps.store.db, user.id);
    if (passkeys.length === 0) throw noPasskey();
    const purpose = challengePurpose(ceremony);
    const userVerification = needsUserVerification(ceremony) ? 'required' : 'preferred';
    return requestOptions(deps, deps.store.db, { purpose, boundTo: ceremony.boundTo, userId: user.id, allow: passkeys, userVerification });
  },
  async verifier({ deps, user, ceremony, client }, answer) {
    if (!('credential' in answer)) return refusing;
    const purpose = challengePurpose(ceremony);
    const challenge = await assertLiveChallenge(deps.store.db, answer.credential.response.clientDataJSON, purpose, ceremony.boundTo, deps.clock.now());
    if (!user) return refusing;
    const verifier: Verifier = {
      async consume(tx) {
        const result = await useAssertion(deps, tx, {
          credential: answer.credential,
          challenge,
          ceremony: { purpose, boundTo: ceremony.boundTo, userId: ceremony.role === 'first' ? null : user.id },
          ownerId: user.id,
          requireUserVerification: needsUserVerification(ceremony),
          client,
        });
        if (!result.ok) verifier.why = result.reason;
        return result.ok;
      },
    };
    return verifier;
  },
  refusal: invalidPasskey,
};
