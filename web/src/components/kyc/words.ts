/**
 * Words for identity verification (KYC), shared by /kyc, the dashboard and the staff console: the
 * statuses, the document types, the photos each type needs and the items a reviewer can ask for.
 * Typed over contracts/kyc.ts (a table missing a value fails `tsc -p web`).
 */
import type { DocumentType, KycFileItem, KycItem, KycStatus } from '../../../../src/contracts/kyc.ts';

/** A status as a short label (badges, filters). */
export const KYC_STATUS_LABELS: Record<KycStatus, string> = {
  none: 'Not started',
  pending: 'Under review',
  verified: 'Verified',
  rejected: 'Rejected',
  resubmission_requested: 'Resubmission requested',
};

/** A status as the account's owner reads it: a resubmission says what to do. */
export const kycStatusWords = (status: KycStatus): string =>
  status === 'resubmission_requested' ? 'Action needed: send again what the reviewer asked for' : KYC_STATUS_LABELS[status];

export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = {
  passport: 'Passport',
  national_id: 'National ID card',
  driving_licence: 'Driving licence',
};

export const isDocumentType = (value: unknown): value is DocumentType => typeof value === 'string' && Object.hasOwn(DOCUMENT_TYPE_LABELS, value);

/** The photos a document type needs: a passport has no back page (filesFor() in contracts/kyc.ts). */
export const FILES_FOR: Record<DocumentType, readonly KycFileItem[]> = {
  passport: ['documentFront', 'selfie'],
  national_id: ['documentFront', 'documentBack', 'selfie'],
  driving_licence: ['documentFront', 'documentBack', 'selfie'],
};

export const isFileItem = (item: KycItem): item is KycFileItem => item !== 'details';

/** What the owner is asked to send (the photo fields are labelled with these too). */
export const OWNER_ITEM_LABELS: Record<KycItem, string> = {
  documentFront: 'Front of your document',
  documentBack: 'Back of your document',
  selfie: 'Selfie',
  details: 'Your details: name, date of birth, country and document',
};

/** The same items as a reviewer names them. */
export const STAFF_ITEM_LABELS: Record<KycItem, string> = {
  documentFront: 'Front of document',
  documentBack: 'Back of document',
  selfie: 'Selfie',
  details: 'Typed details',
};
