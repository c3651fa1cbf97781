/** The signed-in user's account and security status: what `GET /api/me` returns. */
import type { Session } from '../../account/sessions.ts';
import type { User } from '../../account/users.ts';
import { toPublicUser } from '../../contracts/common.ts';
import type { Me } from '../../contracts/me.ts';
import type { Deps } from '../../deps.ts';
import { secondFactorOverview } from '../../factors/registry.ts';
import { isStepUpFresh } from '../../factors/step-up-guard.ts';
import { isoTime } from '../../clock.ts';

export async function describeMe(deps: Deps, user: User, session: Session): Promise<Me> {
  const { methods, count } = await secondFactorOverview(deps.store.db, user.id);
  return {
    user: toPublicUser(user),
    security: {
      emailVerified: user.email_verified_at !== null,
      twoFactor: { enabled: methods.length > 0, methods, backupCodesRemaining: count('backup_code') },
      antiPhishingCodeSet: user.anti_phishing_sealed !== null,
      kycLevel: user.kyc_level,
      kycStatus: user.kyc_status,
      passwordChangedAt: isoTime(user.password_changed_at),
      passkeys: { count: count('passkey') },
    },
    staffRole: user.staff_role,
    session: {
      id: session.id,
      restricted: session.restricted === 1,
      authMethod: session.auth_method,
      stepUpFresh: isStepUpFresh(session, deps.clock.now(), deps.config.session.stepUpMaxAgeMs),
      expiresAt: new Date(Math.min(session.expires_at, session.last_active_at + deps.config.session.idleTimeoutMs)).toISOString(),
    },
    terms: {
      acceptedVersion: user.terms_version,
      acceptedAt: isoTime(user.terms_accepted_at),
      currentVersion: deps.config.terms.version,
      url: deps.config.terms.url,
      mustAccept: user.terms_version !== deps.config.terms.version,
    },
  };
}
