/** The signed-in user's account and security status: what `GET /api/me` returns. */
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { publicUser, toPublicUser } from '../../http/schemas.ts';
import { remainingBackupCodes } from '../../factors/backup-codes/codes.ts';
import { availableMethods } from '../../factors/registry.ts';
import { countEnabledPasskeys } from '../../factors/passkey/credentials.ts';
import type { User } from '../../account/users.ts';
import { isStepUpFresh } from '../../http/guards.ts';
import type { Session } from '../../account/sessions.ts';

export const meBody = z.object({
  user: publicUser,
  security: z.object({
    emailVerified: z.boolean(),
    twoFactor: z.object({ enabled: z.boolean(), methods: z.array(z.string()), backupCodesRemaining: z.number().int() }),
    antiPhishingCodeSet: z.boolean(),
    kycLevel: z.number().int(),
    passwordChangedAt: z.string().nullable(),
    passkeys: z.object({ count: z.number().int() }),
  }),
  session: z.object({ id: z.string(), restricted: z.boolean(), authMethod: z.string(), stepUpFresh: z.boolean(), expiresAt: z.string() }),
});

export async function describeMe(deps: Deps, user: User, session: Session): Promise<z.infer<typeof meBody>> {
  const methods = await availableMethods(deps.store.db, user.id);
  return {
    user: toPublicUser(user),
    security: {
      emailVerified: user.email_verified_at !== null,
      twoFactor: { enabled: methods.length > 0, methods, backupCodesRemaining: await remainingBackupCodes(deps.store.db, user.id) },
      antiPhishingCodeSet: user.anti_phishing_sealed !== null,
      kycLevel: user.kyc_level,
      passwordChangedAt: user.password_changed_at === null ? null : new Date(user.password_changed_at).toISOString(),
      passkeys: { count: await countEnabledPasskeys(deps.store.db, user.id) },
    },
    session: {
      id: session.id,
      restricted: session.restricted === 1,
      authMethod: session.auth_method,
      stepUpFresh: isStepUpFresh(session, deps.clock.now(), deps.config.session.stepUpMaxAgeMs),
      expiresAt: new Date(Math.min(session.expires_at, session.last_active_at + deps.config.session.idleTimeoutMs)).toISOString(),
    },
  };
}
