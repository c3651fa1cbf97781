/**
 * The emailed code: 6 digits to the account's inbox, 10 minutes, single-use, bound to the ceremony
 * that asked for it (a sign-in flow), a new one replacing the old, at most 3 sent in 10 minutes.
 * Out-of-band to an inbox is a restricted authenticator (NIST SP 800-63B rev 4 §3.1.3): it completes
 * a sign-in but is never strong, so it never steps up, never unlocks a frozen account, and never
 * confirms a password reset (the reset link already proves the inbox).
 */
import { consumeToken, issueToken, TOKEN_PURPOSES } from '../../account/tokens.ts';
import { MINUTE } from '../../clock.ts';
import { enforceRateLimit } from '../../throttle/limits.ts';
import { inTransaction } from '../../store/database.ts';
import { invalidCode } from '../totp/factor.ts';
import { ALWAYS_SET_UP, refusing, type Factor } from '../types.ts';

export const EMAIL_CODE_TTL_MS = TOKEN_PURPOSES.email_code.ttlMs;
const SENDS = { limit: 3, windowMs: 10 * MINUTE };

export const emailCodeFactor: Factor<'email_code'> = {
  id: 'email_code',
  label: 'Emailed code',
  strong: false,
  secondFactor: true,
  firstFactor: false,
  memorized: false,
  guessable: true,
  knownDeviceOnly: true,
  purposes: new Set(['sign_in', 'recovery']),
  /** Every account has its inbox; it is offered only to accounts that have two-factor authentication (registry.ts). */
  status: ALWAYS_SET_UP,
  async prepare({ deps, user, client, ceremony, actor }) {
    await enforceRateLimit(deps.throttle, `email-code:${user.id}`, SENDS, 'A code was sent recently. Check your inbox, or try again shortly.');
    await inTransaction(deps.store.db, async (tx) => {
      const code = await issueToken(deps, tx, { purpose: 'email_code', userId: user.id, boundTo: ceremony.boundTo });
      // The same code, worded for what it opens: a sign-in, or a lost-2FA reset request.
      await deps.mail.send(tx, ceremony.purpose === 'recovery' ? 'two_factor_reset_code' : 'login_code', user.email, { code, minutes: EMAIL_CODE_TTL_MS / MINUTE });
      await deps.audit.record(tx, { type: 'mfa.email_code_sent', actor, subject: user.id, client, ...(ceremony.purpose === 'sign_in' ? {} : { data: { purpose: ceremony.purpose } }) });
    });
    return undefined;
  },
  async verifier({ deps, user, ceremony }, answer) {
    if (!user || !('code' in answer)) return refusing;
    return { consume: async (tx) => (await consumeToken(deps, tx, { purpose: 'email_code', secret: answer.code, boundTo: ceremony.boundTo })) !== null };
  },
  refusal: invalidCode,
};
