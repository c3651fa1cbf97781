/** Passkeys: the WebAuthn responses a browser sends and the options it gets, and managing the account's passkeys (/api/me/passkeys). */
import { z } from 'zod';
import { statusBody } from './common.ts';

// ---- WebAuthn, as @simplewebauthn/browser serialises it, bounded in size ----

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

/** Options are passed through to the browser as the library made them. */
export const optionsBody = z.object({
  options: z.looseObject({ challenge: z.string() }).describe('PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON'),
});
export type OptionsBody = z.infer<typeof optionsBody>;
export const optionsReply = (options: { challenge: string }) => ({ options: options as { challenge: string; [key: string]: unknown } });

// ---- The account's passkeys ----

export const passkeyName = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(64, { message: 'must be at most 64 characters' })
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, { message: 'must not contain control characters' });

export const publicPasskeyBody = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  /** The authenticator's name when its AAGUID is known (e.g. "iCloud Keychain"). */
  authenticator: z.string().nullable(),
  /** Synced to the cloud (a multi-device passkey). */
  backedUp: z.boolean(),
  disabled: z.boolean(),
  disabledReason: z.string().nullable(),
});
export type PublicPasskey = z.infer<typeof publicPasskeyBody>;

/** `:id` of PATCH and DELETE /api/me/passkeys/:id. */
export const passkeyIdParams = z.strictObject({ id: z.string().uuid({ message: 'must be a passkey id' }) });
export type PasskeyIdParams = z.infer<typeof passkeyIdParams>;

/** POST /api/me/passkeys/registration-options (no body). */
export const registrationOptionsAnswer = optionsBody;
export type RegistrationOptionsAnswer = z.infer<typeof registrationOptionsAnswer>;

/** POST /api/me/passkeys: the new passkey, with the backup codes when it was the account's first second factor. */
export const addPasskeyBody = z.strictObject({ credential: registrationCredential, name: passkeyName.optional() });
export type AddPasskeyBody = z.infer<typeof addPasskeyBody>;
export const addPasskeyAnswer = z.object({ passkey: publicPasskeyBody, backupCodes: z.array(z.string()).optional() });
export type AddPasskeyAnswer = z.infer<typeof addPasskeyAnswer>;

/** GET /api/me/passkeys. */
export const passkeyList = z.object({ passkeys: z.array(publicPasskeyBody) });
export type PasskeyList = z.infer<typeof passkeyList>;

/** PATCH /api/me/passkeys/:id. */
export const renamePasskeyBody = z.strictObject({ name: passkeyName });
export type RenamePasskeyBody = z.infer<typeof renamePasskeyBody>;
export const renamePasskeyAnswer = z.object({ passkey: publicPasskeyBody });
export type RenamePasskeyAnswer = z.infer<typeof renamePasskeyAnswer>;

/** DELETE /api/me/passkeys/:id. */
export const passkeyDeletedAnswer = statusBody('deleted');
export type PasskeyDeletedAnswer = z.infer<typeof passkeyDeletedAnswer>;
