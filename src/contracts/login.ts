/** Sign-in: the password step, the second factor, confirming a new device, a passkey alone, and signing out. */
import { z } from 'zod';
import { codeField, emailField, passwordField, publicUser, statusBody, tokenField } from './common.ts';
import { authenticationCredential, optionsBody } from './passkeys.ts';

/** What the password step can ask for next: a second factor, enrollment of one, or a new device's confirmation. */
export const nextStep = z.enum(['passkey', 'totp', 'email_code', 'backup_code', 'enroll_2fa', 'confirm_device']);
export type NextStep = z.infer<typeof nextStep>;
/** The second factors a sign-in can finish with. */
export type SecondFactor = Extract<NextStep, 'passkey' | 'totp' | 'email_code' | 'backup_code'>;

/** A step that ends a sign-in: signed in (`{user}`), or first a new device to confirm by email. */
export const signInAnswer = z.union([z.object({ user: publicUser }), z.object({ flow: z.string(), next: z.array(z.literal('confirm_device')) })]);
export type SignInAnswer = z.infer<typeof signInAnswer>;

/** POST /api/auth/login: step 1, email and password. */
export const passwordStepBody = z.strictObject({ email: emailField, password: passwordField });
export type PasswordStepBody = z.infer<typeof passwordStepBody>;
export const passwordStepAnswer = z.object({ flow: z.string(), next: z.array(nextStep) });
export type PasswordStepAnswer = z.infer<typeof passwordStepAnswer>;

/** POST /api/auth/login/email-code and /api/auth/login/passkey-options: the flow the step belongs to. */
export const flowBody = z.strictObject({ flow: tokenField });
export type FlowBody = z.infer<typeof flowBody>;
export const emailCodeAnswer = statusBody('sent');
export type EmailCodeAnswer = z.infer<typeof emailCodeAnswer>;
export const secondFactorOptionsAnswer = optionsBody;
export type SecondFactorOptionsAnswer = z.infer<typeof secondFactorOptionsAnswer>;

/** POST /api/auth/login/verify: the second factor, a code or a passkey's signed response (options from /api/auth/login/passkey-options). */
export const secondFactorBody = z.discriminatedUnion('method', [
  z.strictObject({ flow: tokenField, method: z.enum(['totp', 'email_code', 'backup_code']), code: codeField }),
  z.strictObject({ flow: tokenField, method: z.literal('passkey'), credential: authenticationCredential }),
]);
export type SecondFactorBody = z.infer<typeof secondFactorBody>;
export type SecondFactorAnswer = SignInAnswer;

/** POST /api/auth/login/confirm-device: `{flow, code}` or `{flow}` where signing in, `{token}` from the emailed link. */
export const confirmDeviceBody = z
  .strictObject({ flow: tokenField.optional(), code: codeField.optional(), token: tokenField.optional() })
  .refine((b) => b.token !== undefined || b.flow !== undefined, { message: 'send flow (and code), or token', path: ['flow'] });
export type ConfirmDeviceBody = z.infer<typeof confirmDeviceBody>;
export const confirmDeviceAnswer = z.union([z.object({ user: publicUser }), statusBody('confirmed')]);
export type ConfirmDeviceAnswer = z.infer<typeof confirmDeviceAnswer>;

/**
 * POST /api/auth/login/confirm-device/preview: what the emailed link would confirm, without using it
 * up (the link page shows it and confirms only when its button is pressed).
 */
export const confirmDevicePreviewBody = z.strictObject({ token: tokenField });
export type ConfirmDevicePreviewBody = z.infer<typeof confirmDevicePreviewBody>;
export const confirmDevicePreviewAnswer = z.object({
  /** The browser and system that is signing in, as the user-agent parser names them. */
  device: z.string(),
  ip: z.string(),
  location: z.string(),
  /** When the sign-in began, and until when the link can confirm it. */
  at: z.string(),
  expiresAt: z.string(),
  /** Whether this is the browser that is signing in (confirming then signs in here). */
  thisBrowser: z.boolean(),
});
export type ConfirmDevicePreviewAnswer = z.infer<typeof confirmDevicePreviewAnswer>;

/** POST /api/auth/passkey/options: a passkey alone (also for autofill); no body, or an empty one. */
export const passkeySignInOptionsBody = z.strictObject({}).optional();
export type PasskeySignInOptionsBody = z.infer<typeof passkeySignInOptionsBody>;
export const passkeySignInOptionsAnswer = optionsBody;
export type PasskeySignInOptionsAnswer = z.infer<typeof passkeySignInOptionsAnswer>;

/** POST /api/auth/passkey/verify: the signed response; a verified passkey is both factors. */
export const passkeySignInBody = z.strictObject({ credential: authenticationCredential });
export type PasskeySignInBody = z.infer<typeof passkeySignInBody>;
export type PasskeySignInAnswer = SignInAnswer;

/** POST /api/auth/logout (no body). */
export const signOutAnswer = statusBody('signed_out');
export type SignOutAnswer = z.infer<typeof signOutAnswer>;
