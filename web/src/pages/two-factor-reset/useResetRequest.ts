/**
 * The reset request's state: what is typed, the emailed code sent on request (POST
 * /api/auth/2fa-reset/email-code, the same answer for any address), the selfie, and sending it all
 * (POST /api/auth/2fa-reset, multipart with progress). When the server answers kyc_set_required the
 * KYC set joins the form for that address, and the request is sent again with it; what is typed stays.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { KycFileItem } from '../../../../src/contracts/kyc.ts';
import type { ResetOpenedAnswer } from '../../../../src/contracts/two-factor-reset.ts';
import { isApiError, post, upload } from '../../api.ts';
import type { ResetEmailCodeAnswer, ResetEmailCodeBody } from '../../components/two-factor-reset/types.ts';
import { errorMessage } from '../../errors.ts';
import type { DetailsDraft } from '../kyc/draft.ts';
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
  /** The address the server asked the KYC set for (it applies while that address is typed). */
  const [kycFor, setKycFor] = useState<string | null>(null);
  const [codeSending, setCodeSending] = useState(false);
  const [codeSentTo, setCodeSentTo] = useState('');
  const [problem, setProblem] = useState<ResetProblem | null>(null);
  /** A new object each time, so the same field is focused again after a second failure. */
  const [focusRequest, setFocusRequest] = useState<{ field: ResetField } | null>(null);
  /** How much of the upload is sent (0–1), while it runs. */
  const [sent, setSent] = useState<number | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const errorId = useId();
  const kycNeeded = kycFor !== null && kycFor === normalEmail(credentials.email);
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

  /** An error about a field goes once that field changes. */
  const changed = (fields: ResetField[]) => setProblem((was) => (was?.field && fields.includes(was.field) ? null : was));

  const setCredential = (key: keyof Credentials) => (value: string) => {
    changed([key]);
    setCredentials((all) => ({ ...all, [key]: value }));
  };

  const changeDetails = (next: DetailsDraft) => {
    changed((Object.keys(next) as (keyof DetailsDraft)[]).filter((key) => next[key] !== details[key]));
    setDetails(next);
  };

  const changeSelfie = (file: File | null) => {
    changed(['selfie']);
    setSelfie(file);
  };

  const setDocument = (item: DocumentItem) => (file: File | null) => {
    changed([item as KycFileItem]);
    setDocuments((all) => {
      const next = { ...all };
      if (file) next[item] = file;
      else delete next[item];
      return next;
    });
  };

  const sendCode = async () => {
    if (codeSending) return;
    const email = credentials.email.trim();
    setCodeSentTo('');
    if (!email) {
      show({ field: 'email', message: 'Enter the email address of your account first, then we can send the code.' });
      return;
    }
    setProblem(null);
    setCodeSending(true);
    try {
      await post<ResetEmailCodeAnswer>('/api/auth/2fa-reset/email-code', { email } satisfies ResetEmailCodeBody);
      setCodeSentTo(email);
    } catch (failure) {
      const field = isApiError(failure, 'invalid_request') ? 'email' : null;
      show({ field, message: errorMessage(failure) });
    } finally {
      setCodeSending(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const kyc: KycSet | null = kycNeeded ? { details, photos: documents } : null;
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
        setKycFor(normalEmail(credentials.email));
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
    setEmail: setCredential('email'),
    setPassword: setCredential('password'),
    setEmailCode: setCredential('emailCode'),
    code: { sending: codeSending, sentTo: codeSentTo, send: () => void sendCode() },
    selfie,
    changeSelfie,
    kyc: kycNeeded ? { details, changeDetails, documents, setDocument } : null,
    problem,
    errorId,
    /** The error's id for a field it is about (nothing for the other fields). */
    errorFor: (field: ResetField) => (problem?.field === field ? errorId : undefined),
    sent,
    busy,
    submit,
  };
}
