/**
 * Changing the account's email address (security settings): ask with a fresh step-up (a code goes
 * to the new address, a notice with a cancel link to the old one), confirm with the code, and the
 * old address's "cancel — this wasn't me" link (7 days), which reverts the change and locks the account.
 */
import { z } from 'zod';
import { codeField, newEmailField, tokenField } from './common.ts';

/** POST /api/me/email (needs a fresh step-up). The answer is the same whether or not the address is free. */
export const changeEmailBody = z.strictObject({ newEmail: newEmailField });
export type ChangeEmailBody = z.infer<typeof changeEmailBody>;
export const changeEmailAnswer = z.object({ status: z.literal('code_sent'), newEmail: z.string(), expiresAt: z.string() });
export type ChangeEmailAnswer = z.infer<typeof changeEmailAnswer>;

/** POST /api/me/email/confirm: the code sent to the new address. */
export const confirmEmailBody = z.strictObject({ code: codeField });
export type ConfirmEmailBody = z.infer<typeof confirmEmailBody>;
export const emailChangedAnswer = z.object({ status: z.literal('email_changed'), email: z.string(), withdrawalsHeldUntil: z.string().nullable() });
export type EmailChangedAnswer = z.infer<typeof emailChangedAnswer>;

/** POST /api/me/email/cancel: the link in the old address's email (no sign-in needed). */
export const cancelEmailChangeBody = z.strictObject({ token: tokenField });
export type CancelEmailChangeBody = z.infer<typeof cancelEmailChangeBody>;
/** `reverted`: the old address is back (false: the change was still pending, or the link's address is the current one). */
export const emailChangeCancelledAnswer = z.object({ status: z.literal('email_change_cancelled'), reverted: z.boolean() });
export type EmailChangeCancelledAnswer = z.infer<typeof emailChangeCancelledAnswer>;
