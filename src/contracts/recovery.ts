/** Recovery: a forgotten password (reset link plus the second factor) and unlocking a locked account from its email. */
import { z } from 'zod';
import { codeField, emailField, passwordField, statusBody, tokenField } from './common.ts';
import { authenticationCredential, optionsBody } from './passkeys.ts';

/** POST /api/auth/password/forgot: always 202, whether or not the address has an account. */
export const forgotPasswordBody = z.strictObject({ email: emailField });
export type ForgotPasswordBody = z.infer<typeof forgotPasswordBody>;
export const forgotPasswordAnswer = statusBody('check_email');
export type ForgotPasswordAnswer = z.infer<typeof forgotPasswordAnswer>;

/** POST /api/auth/password/reset: the link's token, the new password and (with 2FA) a code or a passkey. */
export const resetPasswordBody = z.strictObject({
  token: tokenField,
  password: passwordField,
  code: codeField.optional(),
  method: z.enum(['totp', 'backup_code', 'passkey']).optional(),
  credential: authenticationCredential.optional(),
});
export type ResetPasswordBody = z.infer<typeof resetPasswordBody>;
/** The second factors a password reset accepts. */
export type ResetMethod = NonNullable<ResetPasswordBody['method']>;
export const resetPasswordAnswer = statusBody('password_reset');
export type ResetPasswordAnswer = z.infer<typeof resetPasswordAnswer>;

/** POST /api/auth/password/reset/passkey-options: for the account of the emailed reset link. */
export const resetOptionsBody = z.strictObject({ token: tokenField });
export type ResetOptionsBody = z.infer<typeof resetOptionsBody>;
export const resetOptionsAnswer = optionsBody;
export type ResetOptionsAnswer = z.infer<typeof resetOptionsAnswer>;

/** POST /api/auth/unlock: the single-use link from the lock email. */
export const unlockBody = z.strictObject({ token: tokenField });
export type UnlockBody = z.infer<typeof unlockBody>;
export const unlockAnswer = statusBody('unlocked');
export type UnlockAnswer = z.infer<typeof unlockAnswer>;

/** POST /api/auth/unlock/preview: what the unlock link would lift, without using it up. */
export const unlockPreviewBody = z.strictObject({ token: tokenField });
export type UnlockPreviewBody = z.infer<typeof unlockPreviewBody>;
export const unlockPreviewAnswer = z.object({
  /** The address whose sign-in with a password is locked. */
  email: z.string(),
  /** When the lock began; when it ends by itself (null: it already has). */
  lockedAt: z.string(),
  lockedUntil: z.string().nullable(),
});
export type UnlockPreviewAnswer = z.infer<typeof unlockPreviewAnswer>;
