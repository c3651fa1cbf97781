/**
 * Lost 2FA: a request to reset the second factors, opened from the login page with the password,
 * a code from the account's inbox and a new selfie holding the ID document (plus the whole KYC set
 * when the account's identity is not verified yet); its status page and cancel link (no sign-in);
 * and the staff console's queue and decision. Approval starts a wait (TWO_FA_RESET_DELAY) before
 * anything changes.
 */
import { z } from 'zod';
import { emailField, passwordField, tokenField } from './common.ts';
import { kycDetails, KYC_FILE_ITEMS, KYC_STATUSES } from './kyc.ts';
import { reasonField } from './staff.ts';

/** As stored. `pending`: waiting for staff; `approved`: waiting out the delay; `completed`: the factors were removed. */
export const RESET_STATES = ['pending', 'approved', 'rejected', 'cancelled', 'completed'] as const;
export type ResetState = (typeof RESET_STATES)[number];

/** What the user's status page says: `submitted` until a staff member opens it, then `in_review`. */
export const RESET_PROGRESS = ['submitted', 'in_review', 'approved', 'rejected', 'cancelled', 'completed'] as const;
export type ResetProgress = (typeof RESET_PROGRESS)[number];

/** Why staff should look twice at a request. */
export const RESET_SIGNALS = ['new_device', 'new_country', 'impossible_travel', 'recent_failures', 'recent_email_change', 'kyc_not_verified'] as const;
export type ResetSignal = (typeof RESET_SIGNALS)[number];

/**
 * POST /api/auth/2fa-reset/email-code: the password first (refused like a wrong one for an unknown
 * address, under the same lock), then a code to the account's inbox.
 */
export const resetEmailCodeBody = z.strictObject({ email: emailField, password: passwordField });
export const resetEmailCodeAnswer = z.object({ status: z.literal('check_email') });

/** The text fields of POST /api/auth/2fa-reset (multipart/form-data); the KYC fields only when identity is not verified. */
export const RESET_FIELDS = ['email', 'password', 'emailCode', ...Object.keys(kycDetails.shape)] as const;
/** Its files: `selfie` (holding the ID document) always; the document's photos with the KYC set. */
export const RESET_FILES = KYC_FILE_ITEMS;

export const resetCredentials = z.object({
  email: emailField,
  password: passwordField,
  emailCode: z.string().trim().min(1, { message: 'is required' }).max(64),
});

/** 201: the request is open. `statusToken` opens the status page once (the email carries one too). */
export const resetOpenedAnswer = z.object({
  status: z.literal('submitted'),
  requestId: z.string(),
  submittedAt: z.string(),
  /** A KYC case was opened with the request (the identity was not verified yet). */
  kycSubmitted: z.boolean(),
  statusToken: z.string(),
});
export type ResetOpenedAnswer = z.infer<typeof resetOpenedAnswer>;

/** GET /api/auth/2fa-reset/status?token=… (single-use; the answer carries the next one). */
export const resetStatusQuery = z.strictObject({ token: tokenField });
export const resetStatusBody = z.object({
  status: z.enum(RESET_PROGRESS),
  email: z.string(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  /** When an approved reset takes effect (or took effect). */
  effectiveAt: z.string().nullable(),
  /** The reviewer's reason (shown for a rejection). */
  reason: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  /** The token for the next look at this page (this one is used up). */
  nextToken: z.string(),
  nextTokenExpiresAt: z.string(),
});
export type ResetStatusBody = z.infer<typeof resetStatusBody>;

/** POST /api/auth/2fa-reset/cancel: "cancel — this wasn't me" from any email about the request. */
export const resetCancelBody = z.strictObject({ token: tokenField });
export const resetCancelAnswer = z.object({
  status: z.literal('cancelled'),
  /** false: the request had closed already (rejected, cancelled or carried out); the account is locked all the same. */
  requestCancelled: z.boolean(),
  /** Locked as by "lock my account" (the owner unlocks it after the cool-down with a strong factor). */
  frozen: z.boolean(),
  /** The reset had been carried out: its factors were removed and only support can unlock the account. */
  staffLocked: z.boolean(),
});
export type ResetCancelAnswer = z.infer<typeof resetCancelAnswer>;

const iso = z.string();

/** Staff: a request in the queue. */
export const resetSummary = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  state: z.enum(RESET_STATES),
  submittedAt: iso,
  decidedAt: iso.nullable(),
  effectiveAt: iso.nullable(),
  riskSignals: z.array(z.enum(RESET_SIGNALS)),
  kycStatus: z.enum(KYC_STATUSES),
  /** The KYC case sent with the request, if the identity was not verified. */
  kycCaseId: z.string().nullable(),
});
export type ResetSummary = z.infer<typeof resetSummary>;

export const resetQueueQuery = z.strictObject({ status: z.enum(RESET_STATES).default('pending'), cursor: z.string().max(200).optional() });
export const resetQueueBody = z.object({ requests: z.array(resetSummary), nextCursor: z.string().nullable() });
export type ResetQueueBody = z.infer<typeof resetQueueBody>;

const photo = z.object({ url: z.string(), width: z.number().int(), height: z.number().int() });

/** Staff: GET /api/staff/2fa-resets/{id} — the new selfie beside the verified documents, and the account's recent activity. */
export const resetDetail = resetSummary.extend({
  selfie: photo.nullable(),
  /** Where the request came from. */
  origin: z.object({ ip: z.string(), device: z.string(), place: z.string().nullable() }),
  /** The identity to compare with: the verified case (or the one sent with the request). */
  kyc: z
    .object({
      caseId: z.string(),
      status: z.enum(KYC_STATUSES),
      legalName: z.string().nullable(),
      documentType: z.string(),
      issuingCountry: z.string(),
      photos: z.array(photo.extend({ item: z.enum(KYC_FILE_ITEMS) })),
    })
    .nullable(),
  /** The second factors an approval would remove (never the inbox). */
  factors: z.array(z.object({ method: z.string(), name: z.string(), count: z.number().int() })),
  activity: z.array(z.object({ at: iso, result: z.string(), method: z.string().nullable(), device: z.string(), ip: z.string(), place: z.string().nullable(), riskSignals: z.array(z.string()) })),
  reason: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  cancelledAt: iso.nullable(),
  completedAt: iso.nullable(),
  /** The staff member's own account: they may not decide on it. */
  own: z.boolean(),
  /** Approving needs the identity verified first (in the KYC queue). */
  kycVerified: z.boolean(),
});
export type ResetDetail = z.infer<typeof resetDetail>;

export const resetDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject'], { message: 'must be approve or reject' }),
  reason: reasonField,
});
export type ResetDecisionBody = z.infer<typeof resetDecisionBody>;
export const resetDecisionAnswer = resetSummary;
