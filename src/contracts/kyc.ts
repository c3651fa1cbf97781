/**
 * Identity verification (KYC), user side: what POST /api/kyc and /api/kyc/resubmit take (multipart
 * fields; the files are checked by their content on the server) and what GET /api/kyc answers.
 */
import { z } from 'zod';

export const KYC_STATUSES = ['none', 'pending', 'verified', 'rejected', 'resubmission_requested'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

export const DOCUMENT_TYPES = ['passport', 'national_id', 'driving_licence'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The photos of a submission, by their multipart field name. */
export const KYC_FILE_ITEMS = ['documentFront', 'documentBack', 'selfie'] as const;
export type KycFileItem = (typeof KYC_FILE_ITEMS)[number];

/** What a reviewer may ask to be sent again: a photo, or the typed details. */
export const KYC_ITEMS = [...KYC_FILE_ITEMS, 'details'] as const;
export type KycItem = (typeof KYC_ITEMS)[number];

/** The photos a document type needs: a passport has no back page to show. */
export const filesFor = (type: DocumentType): KycFileItem[] => (type === 'passport' ? ['documentFront', 'selfie'] : ['documentFront', 'documentBack', 'selfie']);

/** The limits a photo must meet (the server answers 400 naming the one it broke). */
export const KYC_FILE_RULES = { maxBytes: 10 * 1024 * 1024, minWidth: 800, minHeight: 600, formats: ['jpeg', 'png', 'webp'] } as const;

/** An ISO 3166-1 alpha-2 region code that the platform's ICU knows (e.g. "DE", "SG"). */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
export const countryField = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== undefined, { message: 'must be a two-letter country code such as DE or SG' });

const isoDate = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' }).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { message: 'is not a real date' });

/** The typed details of a submission (the age rule needs the clock and lives in the service). */
export const kycDetails = z.strictObject({
  legalName: z.string().trim().min(2, { message: 'must be at least 2 characters' }).max(200, { message: 'must be at most 200 characters' }),
  dateOfBirth: isoDate,
  country: countryField,
  documentType: z.enum(DOCUMENT_TYPES, { message: 'must be passport, national_id or driving_licence' }),
  documentNumber: z
    .string()
    .trim()
    .toUpperCase()
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^[A-Z0-9]{4,20}$/, { message: 'must be 4 to 20 letters and digits' })),
  issuingCountry: countryField,
});
export type KycDetails = z.infer<typeof kycDetails>;

/** GET /api/kyc: the account's verification and what it still needs. */
export const kycStatusBody = z.object({
  status: z.enum(KYC_STATUSES),
  /** 0: not verified; 1: identity verified (drives withdrawal limits). */
  level: z.number().int(),
  /** The latest submission, if any. */
  submission: z
    .object({
      id: z.string(),
      submittedAt: z.string(),
      decidedAt: z.string().nullable(),
      legalName: z.string(),
      documentType: z.enum(DOCUMENT_TYPES),
      issuingCountry: z.string(),
      /** What the reviewer asked to be sent again (resubmission_requested), else empty. */
      requestedItems: z.array(z.enum(KYC_ITEMS)),
      /** The reviewer's message: why it was rejected, or what to send again. */
      message: z.string().nullable(),
    })
    .nullable(),
  /** What the user may do now: submit (none), resubmit (resubmission_requested), or nothing. */
  canSubmit: z.boolean(),
  canResubmit: z.boolean(),
});
export type KycStatusBody = z.infer<typeof kycStatusBody>;

/** POST /api/kyc and /api/kyc/resubmit answer with the new state. */
export const kycSubmittedAnswer = kycStatusBody;
