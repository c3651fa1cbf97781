/**
 * The authenticator app (TOTP, RFC 6238): a strong factor, since its secret never leaves the device
 * after enrollment. A code is accepted once: the time step it matched is recorded, and no step at or
 * before it is accepted again (RFC 6238 §5.2), even when two requests race with the same code.
 */
import { AppError } from '../../errors/app-error.ts';
import { refusing, type Factor } from '../types.ts';
import { confirmedTotp, matchTotp, recordStep, totpCounts } from './credentials.ts';

export const invalidCode = () => new AppError(401, 'invalid_code', 'That code is not right, or it has expired or was already used.');

export const totpFactor: Factor<'totp'> = {
  id: 'totp',
  label: 'Authenticator app',
  strong: true,
  secondFactor: true,
  firstFactor: false,
  memorized: false,
  guessable: true,
  knownDeviceOnly: false,
  purposes: new Set(['sign_in', 'step_up', 'password_reset']),
  status: {
    counts: totpCounts,
    read: ({ confirmed = 0 }) => ({ enrolled: confirmed > 0, usable: confirmed > 0, count: Math.min(confirmed, 1) }),
  },
  async removeAll(tx, userId) {
    return Number((await tx.deleteFrom('totp_credentials').where('user_id', '=', userId).executeTakeFirst()).numDeletedRows);
  },
  async verifier({ deps, user }, answer) {
    if (!user || !('code' in answer)) return refusing;
    return {
      async consume(tx) {
        const credential = await confirmedTotp(tx, user.id);
        if (!credential) return false;
        const step = matchTotp(deps.keyring, credential, answer.code, deps.clock.now());
        return step !== null && (await recordStep(tx, credential.id, step));
      },
    };
  },
  refusal: invalidCode,
};
