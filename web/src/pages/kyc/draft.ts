/**
 * A KYC submission being filled in: its typed details and photos, what this submission must send
 * (everything the first time, only the requested items when sending again), the checks made before
 * upload (the server makes them all again) and the multipart body POST /api/kyc… takes. The 2FA
 * reset's KYC set is checked and sent with the same pieces.
 * Pure: no browser APIs beyond FormData.
 */
import type { DocumentType, KycDetails, KycFileItem, KycStatusBody } from '../../../../src/contracts/kyc.ts';
import { FILES_FOR, isFileItem, OWNER_ITEM_LABELS } from '../../components/kyc/words.ts';

/** The typed details as entered ('' while not chosen). */
export type DetailsDraft = Omit<KycDetails, 'documentType'> & { documentType: DocumentType | '' };
export type Photos = Partial<Record<KycFileItem, File>>;

export type DraftField = keyof DetailsDraft | KycFileItem;
export interface Problem {
  field: DraftField | null;
  message: string;
}

/** What this submission sends: the typed details or not, and which photos. */
export interface Plan {
  path: '/api/kyc' | '/api/kyc/resubmit';
  details: boolean;
  files: readonly KycFileItem[];
}

/** The details to start from: what the last submission has, when sending it again. */
export function startingDetails(status: KycStatusBody): DetailsDraft {
  const last = status.canResubmit ? status.submission : null;
  return {
    legalName: last?.legalName ?? '',
    dateOfBirth: '',
    country: '',
    documentType: last?.documentType ?? '',
    documentNumber: '',
    issuingCountry: last?.issuingCountry ?? '',
  };
}

export function planFor(status: KycStatusBody, documentType: DocumentType | ''): Plan {
  if (status.canResubmit && status.submission) {
    const requested = status.submission.requestedItems;
    return { path: '/api/kyc/resubmit', details: requested.includes('details'), files: requested.filter(isFileItem) };
  }
  return { path: '/api/kyc', details: true, files: documentType ? FILES_FOR[documentType] : [] };
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** The details that differ between `was` and `next` (an error about one of them goes). */
export const changedDetails = (was: DetailsDraft, next: DetailsDraft): (keyof DetailsDraft)[] =>
  (Object.keys(next) as (keyof DetailsDraft)[]).filter((key) => next[key] !== was[key]);

/** The latest date of birth of someone who is 18 today (the date field's max). */
export function latestBirthDate(today = new Date()): string {
  return isoDay(new Date(today.getFullYear() - 18, today.getMonth(), today.getDate()));
}

/** The document number as the server keeps it: capitals, without spaces or dashes. */
export const normalDocumentNumber = (value: string) => value.trim().toUpperCase().replace(/[\s-]/g, '');

/** The first typed detail to put right, or null (the 2FA reset checks its KYC set with it too). */
export function detailsProblem(d: DetailsDraft, today = new Date()): Problem | null {
  const name = d.legalName.trim();
  if (name.length < 2 || name.length > 200) return { field: 'legalName', message: 'Enter your full legal name as it is written on your document.' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.dateOfBirth)) return { field: 'dateOfBirth', message: 'Enter your date of birth.' };
  if (d.dateOfBirth > latestBirthDate(today)) return { field: 'dateOfBirth', message: 'You must be 18 or older to verify your identity.' };
  if (!d.country) return { field: 'country', message: 'Choose the country you live in.' };
  if (!d.documentType) return { field: 'documentType', message: 'Choose the type of document.' };
  if (!/^[A-Z0-9]{4,20}$/.test(normalDocumentNumber(d.documentNumber))) {
    return { field: 'documentNumber', message: 'Enter the document number as printed: 4 to 20 letters and digits.' };
  }
  if (!d.issuingCountry) return { field: 'issuingCountry', message: 'Choose the country that issued the document.' };
  return null;
}

/** The first of `files` without a photo, as the problem to put right, or null. */
export function missingPhoto(files: readonly KycFileItem[], photos: Photos): Problem | null {
  const missing = files.find((item) => !photos[item]);
  return missing ? { field: missing, message: `Add a photo: ${OWNER_ITEM_LABELS[missing].toLowerCase()}.` } : null;
}

/** The first thing to put right before sending, or null. */
export function problemIn(plan: Plan, details: DetailsDraft, photos: Photos, today = new Date()): Problem | null {
  return (plan.details ? detailsProblem(details, today) : null) ?? missingPhoto(plan.files, photos);
}

/** The photos with `item`'s file put in (or taken out, for null). */
export function withPhoto<Item extends KycFileItem>(photos: Partial<Record<Item, File>>, item: Item, file: File | null): Partial<Record<Item, File>> {
  const next = { ...photos };
  if (file) next[item] = file;
  else delete next[item];
  return next;
}

/** The typed details as the multipart body's fields. */
export function appendDetails(body: FormData, details: DetailsDraft): void {
  body.append('legalName', details.legalName.trim());
  body.append('dateOfBirth', details.dateOfBirth);
  body.append('country', details.country);
  body.append('documentType', details.documentType);
  body.append('documentNumber', normalDocumentNumber(details.documentNumber));
  body.append('issuingCountry', details.issuingCountry);
}

/** The photos of `files` that are chosen, as the multipart body's files. */
export function appendPhotos(body: FormData, files: readonly KycFileItem[], photos: Photos): void {
  for (const item of files) {
    const file = photos[item];
    if (file) body.append(item, file, file.name);
  }
}

/** The multipart body: the typed fields first (when sent), then the photos. */
export function formDataOf(plan: Plan, details: DetailsDraft, photos: Photos): FormData {
  const body = new FormData();
  if (plan.details) appendDetails(body, details);
  appendPhotos(body, plan.files, photos);
  return body;
}

const FIELDS: readonly DraftField[] = ['legalName', 'dateOfBirth', 'country', 'documentType', 'documentNumber', 'issuingCountry', 'documentFront', 'documentBack', 'selfie'];

export interface Refusal {
  code: string;
  message: string;
  body: Record<string, unknown>;
}

/** The field a refusal names: in its body, else as the start of its message ("selfie: …"). */
export const namedField = (error: Refusal): string | undefined =>
  typeof error.body.field === 'string' ? error.body.field : /^([A-Za-z]+)[.:]/.exec(error.message)?.[1];

/** The field a refusal is about: the one it names, or the date of birth for `underage`. */
export function fieldOfAnswer(error: Refusal): DraftField | null {
  if (error.code === 'underage') return 'dateOfBirth';
  const named = namedField(error);
  return FIELDS.find((field) => field === named) ?? null;
}
