/** Two-factor enrollment: setting up and confirming an authenticator app (TOTP), and replacing the backup codes. */
import { z } from 'zod';
import { codeField } from './common.ts';

/** POST /api/me/2fa/totp/setup (no body): the secret, its otpauth:// URI and QR codes. */
export const totpSetupAnswer = z.object({ secret: z.string(), otpauthUrl: z.string(), qrPng: z.string(), qrSvg: z.string() });
export type TotpSetupAnswer = z.infer<typeof totpSetupAnswer>;

/** POST /api/me/2fa/totp/confirm: the first code; a first second factor also brings the 10 backup codes. */
export const totpConfirmBody = z.strictObject({ code: codeField });
export type TotpConfirmBody = z.infer<typeof totpConfirmBody>;
export const totpConfirmAnswer = z.object({ status: z.literal('enabled'), backupCodes: z.array(z.string()).optional() });
export type TotpConfirmAnswer = z.infer<typeof totpConfirmAnswer>;

/** POST /api/me/2fa/backup-codes (no body): a new set, replacing the old one. */
export const backupCodesAnswer = z.object({ backupCodes: z.array(z.string()) });
export type BackupCodesAnswer = z.infer<typeof backupCodesAnswer>;
