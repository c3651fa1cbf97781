/**
 * The staff console's API (/api/staff/…): request and response shapes. Every route needs a staff
 * role, a permission from the one table (account/staff-roles.ts) and a strong factor shown within
 * STAFF_STEP_UP_MAX_AGE; the console reads /api/staff/me to know which pages to offer.
 */
import { z } from 'zod';
import { idField, plainText } from './common.ts';
import { DOCUMENT_TYPES, KYC_FILE_ITEMS, KYC_ITEMS, KYC_STATUSES } from './kyc.ts';

export const STAFF_ROLES = ['support', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Every staff permission, resource → actions; which role holds which is account/staff-roles.ts. */
export const STAFF_PERMISSIONS = {
  console: ['open'],
  users: ['search', 'view', 'lock', 'unlock', 'revoke_sessions', 'set_role'],
  kyc: ['review', 'view_files', 'decide', 'erase'],
  two_factor_resets: ['review', 'view_files', 'decide'],
  audit: ['view', 'verify'],
  outbox: ['view', 'retry'],
} as const;
type Resource = keyof typeof STAFF_PERMISSIONS;
/** "resource:action", e.g. "kyc:decide". */
export type Permission = { [R in Resource]: `${R}:${(typeof STAFF_PERMISSIONS)[R][number]}` }[Resource];
export const ALL_PERMISSIONS = Object.entries(STAFF_PERMISSIONS).flatMap(([resource, actions]) => actions.map((a) => `${resource}:${a}` as Permission));

/** Why a staff member acted: recorded in the audit event, shown to the user where it concerns them. */
export const reasonField = plainText(500, { lines: true }).pipe(z.string().min(3, { message: 'must say why (at least 3 characters)' }));
export const reasonBody = z.strictObject({ reason: reasonField });

const iso = z.string();
const actorShape = z.object({ kind: z.enum(['user', 'staff', 'system', 'anonymous']), id: z.string().nullable() });

/** GET /api/staff/me */
export const staffMeBody = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(STAFF_ROLES),
  /** "resource:action" strings this role holds, e.g. "kyc:decide". */
  permissions: z.array(z.enum(ALL_PERMISSIONS as [Permission, ...Permission[]])),
  /** Until when the last strong factor counts for staff routes. */
  stepUpValidUntil: iso,
});
export type StaffMe = z.infer<typeof staffMeBody>;

/** One row of a user search. */
export const staffUserSummary = z.object({
  id: z.string(),
  email: z.string(),
  createdAt: iso,
  kycStatus: z.enum(KYC_STATUSES),
  staffRole: z.enum(STAFF_ROLES).nullable(),
  lockedByStaff: z.boolean(),
  frozen: z.boolean(),
});
export type StaffUserSummary = z.infer<typeof staffUserSummary>;

export const userSearchQuery = z.strictObject({ query: plainText(254).pipe(z.string().min(1, { message: 'is required' })) });
export const userSearchBody = z.object({ users: z.array(staffUserSummary) });
export type UserSearchBody = z.infer<typeof userSearchBody>;

export const idParams = z.strictObject({ id: idField });

/** GET /api/staff/users/{id}: everything support needs to help, never a secret. */
export const staffUserProfile = z.object({
  user: staffUserSummary.extend({ emailVerified: z.boolean(), kycLevel: z.number().int() }),
  status: z.object({
    frozenAt: iso.nullable(),
    staffLock: z.object({ at: iso, reason: z.string(), by: z.string().nullable() }).nullable(),
    /** Lockouts after failed attempts, and when they lift. */
    passwordLockedUntil: iso.nullable(),
    /** Each code lock that is on (a factor's, the new-device or verification code's); `until` null for a hard one, which only a lift ends. */
    codeLocks: z.array(z.object({ method: z.string(), until: iso.nullable(), hard: z.boolean() })),
  }),
  kycCases: z.array(z.lazy(() => kycCaseSummary)),
  /** Second factors by name only. */
  factors: z.array(z.object({ method: z.string(), name: z.string(), createdAt: iso.nullable() })),
  sessions: z.array(z.object({ id: z.string(), device: z.string(), ip: z.string().nullable(), createdAt: iso, lastActiveAt: iso, authMethod: z.string() })),
  devices: z.array(z.object({ id: z.string(), label: z.string(), lastSeenAt: iso, lastLocation: z.string().nullable() })),
  activity: z.array(z.object({ at: iso, result: z.string(), method: z.string().nullable(), device: z.string(), ip: z.string(), place: z.string().nullable(), riskSignals: z.array(z.string()) })),
  securityHistory: z.array(z.lazy(() => auditEventShape)),
  holds: z.array(z.object({ reason: z.string(), until: iso })),
});
export type StaffUserProfile = z.infer<typeof staffUserProfile>;

export const lockedAnswer = z.object({ status: z.literal('locked') });
export const unlockedAnswer = z.object({ status: z.literal('unlocked') });
export const sessionsRevokedAnswer = z.object({ status: z.literal('sessions_revoked'), count: z.number().int() });
export const roleBody = z.strictObject({ role: z.enum(STAFF_ROLES).nullable(), reason: reasonField });
export const roleAnswer = z.object({ status: z.literal('role_changed'), role: z.enum(STAFF_ROLES).nullable() });
export const erasedAnswer = z.object({ status: z.literal('documents_erased'), files: z.number().int() });

/** A KYC case in a queue or a profile. */
export const kycCaseSummary = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  status: z.enum(KYC_STATUSES),
  documentType: z.enum(DOCUMENT_TYPES),
  issuingCountry: z.string(),
  submittedAt: iso,
  decidedAt: iso.nullable(),
  /** Other accounts already verified with the same document number and issuing country. */
  duplicateOf: z.array(z.object({ userId: z.string(), email: z.string() })),
  erased: z.boolean(),
});
export type KycCaseSummary = z.infer<typeof kycCaseSummary>;

export const kycQueueQuery = z.strictObject({ status: z.enum(KYC_STATUSES).default('pending'), cursor: z.string().max(200).optional() });
export const kycQueueBody = z.object({ cases: z.array(kycCaseSummary), nextCursor: z.string().nullable() });
export type KycQueueBody = z.infer<typeof kycQueueBody>;

/** GET /api/staff/kyc/{id}: the typed details and the current photos, for review. */
export const kycCaseDetail = kycCaseSummary.extend({
  details: z
    .object({ legalName: z.string(), dateOfBirth: z.string(), country: z.string(), documentNumber: z.string() })
    .nullable(),
  files: z.array(z.object({ item: z.enum(KYC_FILE_ITEMS), width: z.number().int(), height: z.number().int(), bytes: z.number().int(), uploadedAt: iso, url: z.string() })),
  requestedItems: z.array(z.enum(KYC_ITEMS)),
  message: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  /** The account's own case: its owner may not decide on it. */
  own: z.boolean(),
});
export type KycCaseDetail = z.infer<typeof kycCaseDetail>;

export const fileParams = z.strictObject({ id: idField, item: z.enum(KYC_FILE_ITEMS) });

export const decisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject', 'resubmit'], { message: 'must be approve, reject or resubmit' }),
    reason: reasonField,
    items: z.array(z.enum(KYC_ITEMS)).min(1).max(KYC_ITEMS.length).optional(),
  })
  .refine((b) => b.decision !== 'resubmit' || (b.items?.length ?? 0) > 0, { message: 'name what must be sent again', path: ['items'] })
  .refine((b) => b.decision === 'resubmit' || b.items === undefined, { message: 'only a resubmission names items', path: ['items'] });
export type DecisionBody = z.infer<typeof decisionBody>;
export const decisionAnswer = kycCaseSummary;

/** One audit event as the console shows it. */
export const auditEventShape = z.object({
  seq: z.number().int(),
  at: iso,
  type: z.string(),
  actor: actorShape,
  subject: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEventView = z.infer<typeof auditEventShape>;

const dateParam = z.string().trim().refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be a date or time (ISO 8601)' }).transform((v) => Date.parse(v));
export const auditQuery = z.strictObject({
  actor: idField.optional(),
  subject: idField.optional(),
  type: z.string().trim().regex(/^[a-z0-9_.]{1,100}$/, { message: 'is an event type such as kyc.approved, or a family such as kyc.' }).optional(),
  from: dateParam.optional(),
  to: dateParam.optional(),
  cursor: z.string().max(200).optional(),
});
export const auditPageBody = z.object({ events: z.array(auditEventShape), nextCursor: z.string().nullable() });
export type AuditPageBody = z.infer<typeof auditPageBody>;
export const auditVerifyBody = z.object({ intact: z.boolean(), rows: z.number().int(), pending: z.number().int(), firstBadSeq: z.number().int().nullable(), reason: z.string().nullable() });
export type AuditVerifyBody = z.infer<typeof auditVerifyBody>;

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export const outboxQuery = z.strictObject({ status: z.enum(OUTBOX_STATUSES).optional(), cursor: z.string().max(200).optional() });
export const outboxMessage = z.object({
  id: z.string(),
  template: z.string(),
  recipient: z.string(),
  subject: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: iso,
  sentAt: iso.nullable(),
  nextAttemptAt: iso.nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessage>;
export const outboxPageBody = z.object({ messages: z.array(outboxMessage), nextCursor: z.string().nullable() });
export type OutboxPageBody = z.infer<typeof outboxPageBody>;
export const retryAnswer = z.object({ status: z.literal('queued') });
