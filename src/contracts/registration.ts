/** Sign-up: creating an account, scoring a password, verifying the email address, sending a new verification email. */
import { z } from 'zod';
import { codeField, emailField, newEmailField, passwordField, statusBody, tokenField } from './common.ts';

/** POST /api/auth/register: always 202 check_email, whether or not the address is taken. */
export const registerBody = z.strictObject({
  email: newEmailField,
  password: passwordField,
  /** Must be true: the user accepts the current terms of service (GET /api/app-info `terms`). */
  acceptTerms: z.boolean().optional().describe('true: the user accepts the current terms of service; anything else is refused (terms_not_accepted)'),
});
export type RegisterBody = z.infer<typeof registerBody>;
export const registerAnswer = statusBody('check_email');
export type RegisterAnswer = z.infer<typeof registerAnswer>;

/** POST /api/auth/password/strength: the policy's score for a strength meter. */
export const passwordStrengthBody = z.strictObject({ password: passwordField, email: z.string().max(254).optional() });
export type PasswordStrengthBody = z.infer<typeof passwordStrengthBody>;
export const passwordStrengthAnswer = z.object({ ok: z.boolean(), score: z.number().int().min(0).max(4), rule: z.string().optional(), message: z.string().optional() });
export type PasswordStrengthAnswer = z.infer<typeof passwordStrengthAnswer>;

/**
 * POST /api/auth/verify-email: the link token, or the address and the 6-digit code. One object rather
 * than a union, so that a missing or mistyped field is reported by name (a union only says "Invalid input").
 */
export const verifyEmailBody = z
  .strictObject({ token: tokenField.optional(), email: emailField.optional(), code: codeField.optional() })
  .superRefine((body, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (body.token !== undefined) {
      if (body.email !== undefined || body.code !== undefined) issue('token', 'send either token, or email and code, not both');
    } else if (body.email === undefined && body.code === undefined) issue('token', 'is required (or send email and code)');
    else if (body.email === undefined) issue('email', 'is required');
    else if (body.code === undefined) issue('code', 'is required');
  })
  .describe('Either `token` (from the link) or `email` and `code`.');
export type VerifyEmailBody = z.infer<typeof verifyEmailBody>;
export const verifyEmailAnswer = statusBody('verified');
export type VerifyEmailAnswer = z.infer<typeof verifyEmailAnswer>;

/** POST /api/auth/resend-verification: 202 whether or not the address has an account. */
export const resendVerificationBody = z.strictObject({ email: emailField });
export type ResendVerificationBody = z.infer<typeof resendVerificationBody>;
export const resendVerificationAnswer = statusBody('check_email');
export type ResendVerificationAnswer = z.infer<typeof resendVerificationAnswer>;
