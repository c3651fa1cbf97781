/** The signed-in account: what GET /api/me reports, and changing the password (POST /api/me/password). */
import { z } from 'zod';
import { passwordField, publicUser, statusBody } from './common.ts';

/** GET /api/me: the user, their security status and this session. */
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
export type Me = z.infer<typeof meBody>;

/** POST /api/me/password: ends every other session and emails the owner. */
export const changePasswordBody = z.strictObject({ currentPassword: passwordField, newPassword: passwordField });
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;
export const changePasswordAnswer = statusBody('password_changed');
export type ChangePasswordAnswer = z.infer<typeof changePasswordAnswer>;
