/**
 * A 2FA reset request being filled in: the password and emailed code, the new selfie holding the ID
 * document, and — when the server answered kyc_set_required — the KYC set (typed details and the
 * document's photos). The checks made before upload (the server makes them all again), the field a
 * refusal is about, and the multipart body POST /api/auth/2fa-reset takes.
 * Pure: no browser APIs beyond FormData.
 */
import type { DocumentType, KycFileItem } from '../../../../src/contracts/kyc.ts';
import { FILES_FOR } from '../../components/kyc/words.ts';
import { appendDetails, appendPhotos, detailsProblem, fieldOfAnswer, missingPhoto, namedField, type DetailsDraft, type DraftField, type Refusal } from '../kyc/draft.ts';

export interface Credentials {
  email: string;
  password: string;
  emailCode: string;
}

/** The document's photos (the selfie is the request's own, sent with or without the KYC set). */
export type DocumentItem = Exclude<KycFileItem, 'selfie'>;
export type DocumentPhotos = Partial<Record<DocumentItem, File>>;

/** The KYC set, when the server asked for it. */
export interface KycSet {
  details: DetailsDraft;
  photos: DocumentPhotos;
}

export type ResetField = keyof Credentials | DraftField;
export interface ResetProblem {
  field: ResetField | null;
  message: string;
}

export const EMPTY_DETAILS: DetailsDraft = { legalName: '', dateOfBirth: '', country: '', documentType: '', documentNumber: '', issuingCountry: '' };

/** The address as the server compares it (to know whether the KYC set asked for still applies). */
export const normalEmail = (email: string) => email.trim().toLowerCase();

/** The emailed code as typed, without spaces. */
export const enteredCode = (code: string) => code.replace(/\s+/g, '');

/** The document's photos a type needs: the front, and the back except for a passport. */
export const documentFiles = (type: DocumentType | ''): DocumentItem[] =>
  type ? FILES_FOR[type].filter((item): item is DocumentItem => item !== 'selfie') : [];

/** The first thing to put right before sending, in the order of the form, or null. */
export function problemIn(credentials: Credentials, selfie: File | null, kyc: KycSet | null, today = new Date()): ResetProblem | null {
  if (!credentials.email.trim()) return { field: 'email', message: 'Enter the email address of your account.' };
  if (!credentials.password) return { field: 'password', message: 'Enter your password.' };
  if (!enteredCode(credentials.emailCode)) {
    return { field: 'emailCode', message: 'Enter the code from your email. Press “Send me a code” if you do not have one yet.' };
  }
  if (!selfie) return { field: 'selfie', message: 'Add a selfie of you holding your ID document.' };
  if (!kyc) return null;
  return detailsProblem(kyc.details, today) ?? missingPhoto(documentFiles(kyc.details.documentType), kyc.photos);
}

/** The multipart body: the text fields first (the KYC details only with the set), then the photos. */
export function formDataOf(credentials: Credentials, selfie: File, kyc: KycSet | null): FormData {
  const body = new FormData();
  body.append('email', credentials.email.trim());
  body.append('password', credentials.password);
  body.append('emailCode', enteredCode(credentials.emailCode));
  if (kyc) appendDetails(body, kyc.details);
  body.append('selfie', selfie, selfie.name);
  if (kyc) appendPhotos(body, documentFiles(kyc.details.documentType), kyc.photos);
  return body;
}

const CREDENTIAL_FIELDS: readonly (keyof Credentials)[] = ['email', 'password', 'emailCode'];

/** The field a refusal is about: the credentials by their codes, else the field its body or message names. */
export function fieldOfRefusal(error: Refusal): ResetField | null {
  if (error.code === 'invalid_credentials') return 'password';
  if (error.code === 'invalid_code') return 'emailCode';
  const named = namedField(error);
  return CREDENTIAL_FIELDS.find((field) => field === named) ?? fieldOfAnswer(error);
}

/** Whether the field is one of the KYC set's (DetailsFields and the document photos mark those). */
export const isDraftField = (field: ResetField | null): field is DraftField => field !== null && !CREDENTIAL_FIELDS.includes(field as keyof Credentials);
