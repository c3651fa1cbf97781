/** Step-up: re-confirming a strong factor (authenticator app or passkey) before a sensitive action. */
import { z } from 'zod';
import { codeField } from './common.ts';
import { authenticationCredential, optionsBody } from './passkeys.ts';

/** POST /api/auth/step-up: an authenticator code or a passkey (options from /api/auth/step-up/passkey-options). */
export const stepUpBody = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('totp'), code: codeField }),
  z.strictObject({ method: z.literal('passkey'), credential: authenticationCredential }),
]);
export type StepUpBody = z.infer<typeof stepUpBody>;
/** The strong factors step-up accepts. */
export type StepUpMethod = StepUpBody['method'];
export const stepUpAnswer = z.object({ status: z.literal('ok'), stepUpExpiresAt: z.string() });
export type StepUpAnswer = z.infer<typeof stepUpAnswer>;

/** POST /api/auth/step-up/passkey-options (no body). */
export const stepUpOptionsAnswer = optionsBody;
export type StepUpOptionsAnswer = z.infer<typeof stepUpOptionsAnswer>;
