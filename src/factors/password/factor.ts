/**
 * The password: something the user knows (NIST SP 800-63B rev 4 §3.1.1). It names the account at
 * sign-in (a first factor: wrong ones count toward the address's lock, 5 then 15 minutes doubling),
 * confirms a password change, and is part of 2FA recovery. It is never a second factor and never
 * strong. Stored as argon2id in its NFKC form (the policy normalises it), so that form is compared;
 * an address without an account runs a dummy hash, so timing tells nothing.
 */
import { normalizePassword } from './policy.ts';
import { unauthorized } from '../../errors/app-error.ts';
import { ALWAYS_SET_UP, refusing, type Factor } from '../types.ts';

export const passwordFactor: Factor<'password'> = {
  id: 'password',
  label: 'Password',
  strong: false,
  secondFactor: false,
  firstFactor: true,
  memorized: true,
  guessable: true,
  knownDeviceOnly: false,
  purposes: new Set(['sign_in', 'password_change', 'recovery']),
  status: ALWAYS_SET_UP,
  async verifier({ deps, user }, answer) {
    if (!('password' in answer)) return refusing;
    const password = normalizePassword(answer.password);
    return {
      before: () => (user ? deps.passwords.verify(user.password_hash, password) : deps.passwords.dummyVerify(password)),
      consume: async () => user !== undefined,
    };
  },
  refusal: () => unauthorized('invalid_credentials', 'The email or password is not right.'),
};
