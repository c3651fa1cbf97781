/** The signed-in account: what GET /api/me reports, and changing the password (POST /api/me/password). */
import { z } from 'zod';
import { passwordField, publicUser, statusBody } from './common.ts';
import { KYC_STATUSES } from './kyc.ts';
import { STAFF_ROLES } from './staff.ts';

/** GET /api/me: the user, their security status and this session. */
export const meBody = z.object({
  user: publicUser,
  security: z.object({
    emailVerified: z.boolean(),
    twoFactor: z.object({ enabled: z.boolean(), methods: z.array(z.string()), backupCodesRemaining: z.number().int() }),
    antiPhishingCodeSet: z.boolean(),
    kycLevel: z.number().int(),
    /** Identity verification: none, pending, verified, rejected or resubmission_requested (GET /api/kyc has the details). */
    kycStatus: z.enum(KYC_STATUSES),
    passwordChangedAt: z.string().nullable(),
    passkeys: z.object({ count: z.number().int() }),
  }),
  /** The staff role, when the account has one (the console is at /staff). */
  staffRole: z.enum(STAFF_ROLES).nullable(),
  session: z.object({ id: z.string(), restricted: z.boolean(), authMethod: z.string(), stepUpFresh: z.boolean(), expiresAt: z.string() }),
  /** The terms of service: the version accepted and when, the current one, and whether it must be accepted before anything else. */
  terms: z.object({ acceptedVersion: z.string().nullable(), acceptedAt: z.string().nullable(), currentVersion: z.string(), url: z.string(), mustAccept: z.boolean() }),
});
export type Me = z.infer<typeof meBody>;

/** POST /api/me/terms: the version accepted must be the current one. */
export const acceptTermsBody = z.strictObject({ version: z.string().min(1).max(32) });
export type AcceptTermsBody = z.infer<typeof acceptTermsBody>;
export const acceptTermsAnswer = statusBody('terms_accepted');
export type AcceptTermsAnswer = z.infer<typeof acceptTermsAnswer>;

/** POST /api/me/password: ends every other session and emails the owner. */
export const changePasswordBody = z.strictObject({ currentPassword: passwordField, newPassword: passwordField });
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;
export const changePasswordAnswer = statusBody('password_changed');
export type ChangePasswordAnswer = z.infer<typeof changePasswordAnswer>;
