/** GET /api/app-info: what the web app needs to know about this installation (no secrets). */
import { z } from 'zod';

export const appInfo = z.object({
  name: z.string(),
  /** Where the development inbox is (only when mail is not sent over SMTP), else null. */
  devInbox: z.string().nullable(),
  walletRpcOrigins: z.array(z.string()),
  /** Whether passkeys can be used here (not on an installation served on an IP address). */
  passkeys: z.boolean(),
  freezeCooldownMs: z.number().int().describe('FREEZE_COOLDOWN: how long an account locked by its owner stays locked'),
  withdrawalHoldMs: z.number().int().describe('WITHDRAWAL_HOLD: how long withdrawals wait after a security change'),
  twoFactorResetDelayMs: z.number().int().describe('TWO_FA_RESET_DELAY: how long an approved lost-2FA reset waits before it is carried out'),
  /** Development only: the dashboard offers test money (POST /api/dev/faucet). */
  faucet: z.boolean(),
  twoFactorResetHoldMs: z.number().int().describe('TWO_FA_RESET_WITHDRAWAL_HOLD: how long withdrawals wait after a lost-2FA reset'),
  /** The terms of service every account accepts: where they are (placeholder: the built-in page at /terms, for development) and the current version. */
  terms: z.object({ url: z.string(), version: z.string(), placeholder: z.boolean() }),
});
export type AppInfo = z.infer<typeof appInfo>;
