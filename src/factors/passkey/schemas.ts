/** The WebAuthn responses a browser sends (as @simplewebauthn/browser serialises them), bounded in size. */
import { z } from 'zod';

const b64url = (max: number) =>
  z.string().min(1, { message: 'is required' }).max(max, { message: 'is too long' }).regex(/^[A-Za-z0-9_-]+={0,2}$/, { message: 'must be base64url' });

const extensionResults = z.looseObject({ credProps: z.looseObject({ rk: z.boolean().optional() }).optional() });

export const registrationCredential = z.strictObject({
  id: b64url(1024),
  rawId: b64url(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64url(8192),
    attestationObject: b64url(16384),
    transports: z.array(z.string().max(32)).max(10).optional(),
    authenticatorData: b64url(8192).optional(),
    publicKey: b64url(8192).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: extensionResults,
});

export const authenticationCredential = z.strictObject({
  id: b64url(1024),
  rawId: b64url(1024),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64url(8192),
    authenticatorData: b64url(8192),
    signature: b64url(2048),
    userHandle: z.union([b64url(256), z.null()]).optional().transform((v) => v ?? undefined),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: extensionResults,
});

export type RegistrationCredential = z.infer<typeof registrationCredential>;
export type AuthenticationCredential = z.infer<typeof authenticationCredential>;

export const passkeyName = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(64, { message: 'must be at most 64 characters' })
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, { message: 'must not contain control characters' });

/** Options are passed through to the browser as the library made them. */
export const optionsBody = z.object({
  options: z.looseObject({ challenge: z.string() }).describe('PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON'),
});
export const optionsReply = (options: { challenge: string }) => ({ options: options as { challenge: string; [key: string]: unknown } });

export const publicPasskeyBody = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  authenticator: z.string().nullable(),
  backedUp: z.boolean(),
  disabled: z.boolean(),
  disabledReason: z.string().nullable(),
});
