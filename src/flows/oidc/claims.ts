/**
 * What an app learns about a sign-in (OpenID Connect Core §2, §5.1): `sub`, the account's random id
 * (never the email), `email` and `email_verified` behind the `email` scope, `kyc_level` behind its own
 * `kyc` scope, and how the Bastion session was authenticated: `amr` in RFC 8176 values, `acr` as an
 * assurance level (NIST SP 800-63B: every full Bastion sign-in is AAL2; STRONG also means a passkey
 * or authenticator code within STEP_UP_MAX_AGE) and `auth_time`. A frozen or staff-locked account is
 * no account to the provider: its refresh tokens, userinfo and sign-ins stop.
 */
import type { Session } from '../../account/sessions.ts';
import { isStaffLocked } from '../../account/staff-lock.ts';
import { findUserById } from '../../account/users.ts';
import type { Deps } from '../../deps.ts';
import { isStepUpFresh } from '../../factors/step-up-guard.ts';

/** A full Bastion sign-in: password or passkey, and a second factor. */
export const ACR_AAL2 = 'urn:bastion:aal2';
/** AAL2 with a strong factor (passkey or authenticator app) shown within STEP_UP_MAX_AGE. */
export const ACR_STRONG = 'urn:bastion:aal2:strong';
export const ACR_VALUES = [ACR_AAL2, ACR_STRONG];

export const SCOPE_CLAIMS = { openid: ['sub', 'amr', 'acr', 'auth_time'], email: ['email', 'email_verified'], kyc: ['kyc_level'] };

/** RFC 8176 values for a factor Bastion names. A passkey verified its user (fingerprint, face, PIN). */
const AMR: Record<string, string[]> = {
  password: ['pwd'],
  totp: ['otp'],
  email_code: ['otp'],
  backup_code: ['otp'],
  passkey: ['hwk', 'user'],
};

export function amrOf(authMethod: string): string[] {
  const factors = authMethod.split('+');
  const values = new Set(factors.flatMap((f) => AMR[f] ?? []));
  // Two factors, or a passkey that verified its user (something held and something known or are).
  if (factors.length > 1 || factors.includes('passkey')) values.add('mfa');
  return [...values];
}

/** When the user last authenticated actively in this session: a strong factor since sign-in, or the sign-in. */
export const lastAuthenticated = (session: Session): number => Math.max(session.created_at, session.step_up_at ?? 0);

export function authenticationOf(deps: Deps, session: Session): { accountId: string; ts: number; amr: string[]; acr: string } {
  const strong = isStepUpFresh(session, deps.clock.now(), deps.config.session.stepUpMaxAgeMs);
  return { accountId: session.user_id, ts: Math.floor(lastAuthenticated(session) / 1000), amr: amrOf(session.auth_method), acr: strong ? ACR_STRONG : ACR_AAL2 };
}

/** The provider's findAccount: the claims of a live (not frozen, not locked) account. */
export async function findAccount(deps: Deps, accountId: string) {
  const user = await findUserById(deps.store.db, accountId);
  if (!user || user.frozen_at !== null || isStaffLocked(user)) return undefined;
  return {
    accountId,
    claims: async () => ({ sub: user.id, email: user.email, email_verified: user.email_verified_at !== null, kyc_level: user.kyc_level }),
  };
}
