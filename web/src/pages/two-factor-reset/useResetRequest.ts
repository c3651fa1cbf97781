/**
 * The reset request's state: what is typed, the emailed code sent on request once the password is
 * checked (POST /api/auth/2fa-reset/email-code), the selfie, and sending it all
 * (POST /api/auth/2fa-reset, multipart with progress). When the server answers kyc_set_required the
 * KYC set joins the form for that address, and the request is sent again with it; what is typed stays.
 * When that answer names a document type (a case the reviewer sent back keeps its type), the set's
 * type is that one and cannot be chosen.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DocumentType, KycFileItem } from '../../../../src/contracts/kyc.ts';
import type { ResetOpenedAnswer } from '../../../../src/contracts/two-factor-reset.ts';
import { isApiError, post, upload } from '../../api.ts';
import { isDocumentType } from '../../components/kyc/words.ts';
import type { ResetEmailCodeAnswer, ResetEmailCodeBody } from '../../components/two-factor-reset/types.ts';
import { errorMessage } from '../../errors.ts';
import { changedDetails, withPhoto, type DetailsDraft } from '../kyc/draft.ts';
import {
  EMPTY_DETAILS,
  fieldOfRefusal,
  formDataOf,
  normalEmail,
  problemIn,
  type Credentials,
  type DocumentItem,
  type DocumentPhotos,
  type KycSet,
  type ResetField,
  type ResetProblem,
} from './draft.ts';

/** The words for a refusal: a lock says a reset cannot be asked for while it lasts. */
function describe(failure: unknown): string {
  // Here it is the owner's own identity check that was declined (the map's words are for staff).
  if (isApiError(failure, 'kyc_case_closed')) return 'Your identity verification was declined, so a reset cannot be checked against it. Contact support.';
  const message = errorMessage(failure);
  if (isApiError(failure, 'account_frozen') || isApiError(failure, 'account_locked_by_staff')) {
    return `${message} A reset cannot be requested while the account is locked: contact support if you need help.`;
  }
  return message;
}

export function useResetRequest(initialEmail: string, onSubmitted: (answer: ResetOpenedAnswer) => void) {
  const [credentials, setCredentials] = useState<Credentials>({ email: initialEmail, password: '', emailCode: '' });
  const [selfie, setSelfie] = useState<File | null>(null);
  const [details, setDetails] = useState<DetailsDraft>(EMPTY_DETAILS);
  const [documents, setDocuments] = useState<DocumentPhotos>({});
  /**
   * The address the server asked the KYC set for (it applies while that address is typed), and the
   * document type the set must keep (a resubmission's), or null when the user chooses it.
   */
  const [kycAsked, setKycAsked] = useState<{ email: string; documentType: DocumentType | null } | null>(null);
  const [codeSending, setCodeSending] = useState(false);
  const [codeSentTo, setCodeSentTo] = useState('');
  const [problem, setProblem] = useState<ResetProblem | null>(null);
  /** A new object each time, so the same field is focused again after a second failure. */
  const [focusRequest, setFocusRequest] = useState<{ field: ResetField } | null>(null);
  /** How much of the upload is sent (0–1), while it runs. */
  const [sent, setSent] = useState<number | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const errorId = useId();
  const kycNeeded = kycAsked !== null && kycAsked.email === normalEmail(credentials.email);
  const fixedType = kycNeeded ? kycAsked.documentType : null;
  /** The set's details: with the document type it must keep, when there is one. */
  const kycDetails: DetailsDraft = fixedType ? { ...details, documentType: fixedType } : details;
  const busy = sent !== null;

  useEffect(() => {
    if (!focusRequest) return;
    // The field's control; for a photo already chosen, its "Take or choose again" button.
    const control = form.current?.querySelector<HTMLElement>(`[data-field="${focusRequest.field}"] :is(input:not([tabindex="-1"]), select, button)`);
    control?.focus();
  }, [focusRequest]);

  const show = (next: ResetProblem | null) => {
    setProblem(next);
    setFocusRequest(next?.field ? { field: next.field } : null);
  };

  /** The error's id for a field it is about (nothing for the other fields). */
  const errorFor = (field: ResetField) => (problem?.field === field ? errorId : undefined);

  /** An error about a field goes once that field changes. */
  const changed = (fields: ResetField[]) => setProblem((was) => (was?.field && fields.includes(was.field) ? null : was));

  const setCredential = (key: keyof Credentials) => (value: string) => {
    changed([key]);
    setCredentials((all) => ({ ...all, [key]: value }));
  };

  const changeDetails = (next: DetailsDraft) => {
    changed(changedDetails(kycDetails, next));
    // A fixed type is not the user's choice: the one they chose stays, for an address that lets them.
    setDetails(fixedType ? { ...next, documentType: details.documentType } : next);
  };

  const changeSelfie = (file: File | null) => {
    changed(['selfie']);
    setSelfie(file);
  };

  const setDocument = (item: DocumentItem) => (file: File | null) => {
    changed([item as KycFileItem]);
    setDocuments((all) => withPhoto(all, item, file));
  };

  const sendCode = async () => {
    if (codeSending) return;
    const email = credentials.email.trim();
    setCodeSentTo('');
    if (!email) {
      show({ field: 'email', message: 'Enter the email address of your account first, then we can send the code.' });
      return;
    }
    if (!credentials.password) {
      show({ field: 'password', message: 'Enter your password first: we send the code once it is checked.' });
      return;
    }
    setProblem(null);
    setCodeSending(true);
    try {
      await post<ResetEmailCodeAnswer>('/api/auth/2fa-reset/email-code', { email, password: credentials.password } satisfies ResetEmailCodeBody);
      setCodeSentTo(email);
    } catch (failure) {
      const field = isApiError(failure) ? (fieldOfRefusal(failure) ?? (failure.code === 'invalid_request' ? 'email' : null)) : null;
      show({ field, message: describe(failure) });
    } finally {
      setCodeSending(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const kyc: KycSet | null = kycNeeded ? { details: kycDetails, photos: documents } : null;
    const wrong = problemIn(credentials, selfie, kyc);
    if (wrong || !selfie) {
      show(wrong);
      return;
    }
    setProblem(null);
    setSent(0);
    try {
      const answer = await upload<ResetOpenedAnswer>('/api/auth/2fa-reset', formDataOf(credentials, selfie, kyc), setSent);
      onSubmitted(answer);
    } catch (failure) {
      if (isApiError(failure, 'kyc_set_required')) {
        // The identity is not verified: the KYC set joins the form, and the user sends again.
        setKycAsked({ email: normalEmail(credentials.email), documentType: isDocumentType(failure.body.documentType) ? failure.body.documentType : null });
        show({ field: 'legalName', message: errorMessage(failure) });
      } else {
        show({ field: isApiError(failure) ? fieldOfRefusal(failure) : null, message: describe(failure) });
      }
    } finally {
      setSent(null);
    }
  };

  return {
    form,
    credentials,
    /** What ties a credential's field to it: the value, its change, and the error when it is about it. */
    bind: (key: keyof Credentials) => ({ value: credentials[key], onValueChange: setCredential(key), errorId: errorFor(key) }),
    code: { sending: codeSending, sentTo: codeSentTo, send: () => void sendCode() },
    selfie,
    changeSelfie,
    kyc: kycNeeded ? { details: kycDetails, typeFixed: fixedType !== null, changeDetails, documents, setDocument } : null,
    problem,
    errorId,
    errorFor,
    sent,
    busy,
    submit,
  };
}
