/** The security center: the anti-phishing code, login activity, sessions, devices, locking the account, and the security history. */
import { z } from 'zod';
import { statusBody, tokenField } from './common.ts';

/** `:id` of DELETE /api/me/sessions/:id and /api/me/devices/:id. */
export const itemIdParams = z.object({ id: z.string().min(1).max(64) });
export type ItemIdParams = z.infer<typeof itemIdParams>;

// ---- Anti-phishing code (needs step-up) ----

/** PUT /api/me/anti-phishing-code: 4 to 20 letters, digits, _ or - (the rule checks the pattern). */
export const antiPhishingBody = z.strictObject({ code: z.string().max(64) });
export type AntiPhishingBody = z.infer<typeof antiPhishingBody>;
export const antiPhishingSetAnswer = statusBody('set');
export type AntiPhishingSetAnswer = z.infer<typeof antiPhishingSetAnswer>;
/** DELETE /api/me/anti-phishing-code. */
export const antiPhishingRemovedAnswer = statusBody('removed');
export type AntiPhishingRemovedAnswer = z.infer<typeof antiPhishingRemovedAnswer>;

// ---- Login activity ----

/** GET /api/me/activity?cursor&limit: sign-in attempts (and failed proofs for a step-up or a reset), newest first. */
export const activityQuery = z.strictObject({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });
export type ActivityQuery = z.infer<typeof activityQuery>;
export const activityEntry = z.object({
  id: z.string(),
  at: z.string(),
  ip: z.string(),
  device: z.string(),
  location: z.string(),
  method: z.string().nullable(),
  result: z.string(),
  /** What it was for: sign_in, or step_up, password_reset, password_change, recovery (a failed proof). */
  purpose: z.string(),
  riskSignals: z.array(z.string()),
});
export type ActivityEntry = z.infer<typeof activityEntry>;
export const activityPage = z.object({ entries: z.array(activityEntry), nextCursor: z.string().nullable() });
export type ActivityPage = z.infer<typeof activityPage>;

// ---- Sessions ----

export const sessionInfo = z.object({
  id: z.string(),
  device: z.string(),
  location: z.string(),
  ip: z.string().nullable(),
  createdAt: z.string(),
  lastActiveAt: z.string(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;
/** GET /api/me/sessions. */
export const sessionList = z.object({ sessions: z.array(sessionInfo) });
export type SessionList = z.infer<typeof sessionList>;
/** DELETE /api/me/sessions/:id. */
export const sessionRevokedAnswer = statusBody('revoked');
export type SessionRevokedAnswer = z.infer<typeof sessionRevokedAnswer>;
/** POST /api/me/sessions/revoke-others (no body). */
export const revokeOthersAnswer = z.object({ status: z.literal('revoked'), count: z.number().int() });
export type RevokeOthersAnswer = z.infer<typeof revokeOthersAnswer>;

// ---- Devices ----

export const deviceInfo = z.object({
  id: z.string(),
  device: z.string(),
  location: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});
export type DeviceInfo = z.infer<typeof deviceInfo>;
/** GET /api/me/devices. */
export const deviceList = z.object({ devices: z.array(deviceInfo) });
export type DeviceList = z.infer<typeof deviceList>;
/** DELETE /api/me/devices/:id: its next sign-in is a new-device sign-in. */
export const deviceForgottenAnswer = statusBody('forgotten');
export type DeviceForgottenAnswer = z.infer<typeof deviceForgottenAnswer>;

// ---- Locking the account ----

/** POST /api/auth/lock-account: the single-use link from a security email (no sign-in needed). */
export const lockFromEmailBody = z.strictObject({ token: tokenField });
export type LockFromEmailBody = z.infer<typeof lockFromEmailBody>;
/** The answer of POST /api/auth/lock-account and POST /api/me/lock (no body). */
export const frozenAnswer = statusBody('frozen');
export type FrozenAnswer = z.infer<typeof frozenAnswer>;

// ---- Security history ----

export const securityEvent = z.object({
  at: z.string(),
  type: z.string(),
  description: z.string(),
  ip: z.string().nullable(),
  device: z.string().nullable(),
  location: z.string().nullable(),
});
export type SecurityEvent = z.infer<typeof securityEvent>;
/** GET /api/me/security-events: changes to security settings (not sign-ins). */
export const securityEventList = z.object({ events: z.array(securityEvent) });
export type SecurityEventList = z.infer<typeof securityEventList>;
