/**
 * Sending documents for an identity check: the whole submission (details and the photos its
 * document type needs) to POST /api/kyc, or, when a reviewer asked, only the requested items to
 * POST /api/kyc/resubmit. The photos go up as multipart/form-data with a progress bar.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { KycFileItem, KycStatusBody } from '../../../../src/contracts/kyc.ts';
import { isApiError, upload } from '../../api.ts';
import { SubmitButton } from '../../components/Fields.tsx';
import { PhotoInput } from '../../components/kyc/PhotoInput.tsx';
import { UploadProgress } from '../../components/kyc/UploadProgress.tsx';
import { ErrorMessage } from '../../components/Messages.tsx';
import { useFailureHandler } from '../../components/security/useSecurityData.ts';
import { DetailsFields } from './DetailsFields.tsx';
import {
  changedDetails,
  fieldOfAnswer,
  formDataOf,
  planFor,
  problemIn,
  startingDetails,
  withPhoto,
  type DetailsDraft,
  type DraftField,
  type Photos,
  type Problem,
} from './draft.ts';

interface KycFormProps {
  status: KycStatusBody;
  onSent: (answer: KycStatusBody) => void;
}

export function KycForm({ status, onSent }: KycFormProps) {
  const describe = useFailureHandler();
  const [details, setDetails] = useState<DetailsDraft>(() => startingDetails(status));
  const [photos, setPhotos] = useState<Photos>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  /** How much of the upload is sent (0–1), while it runs. */
  const [sent, setSent] = useState<number | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const errorId = useId();
  const plan = planFor(status, details.documentType);
  const again = plan.path === '/api/kyc/resubmit';
  const busy = sent !== null;

  /** An error about a field goes once that field changes. */
  const changed = (fields: DraftField[]) => setProblem((was) => (was?.field && fields.includes(was.field) ? null : was));

  const changeDetails = (next: DetailsDraft) => {
    changed(changedDetails(details, next));
    setDetails(next);
  };

  const setPhoto = (item: KycFileItem) => (file: File | null) => {
    changed([item]);
    setPhotos((all) => withPhoto(all, item, file));
  };

  const show = (next: Problem | null) => {
    setProblem(next);
    if (!next?.field) return;
    // The field's control; for a photo already chosen, its "Take or choose again" button.
    const control = form.current?.querySelector<HTMLElement>(`[data-field="${next.field}"] :is(input:not([tabindex="-1"]), select, button)`);
    control?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const wrong = problemIn(plan, details, photos);
    if (wrong) {
      show(wrong);
      return;
    }
    setProblem(null);
    setSent(0);
    try {
      const answer = await upload<KycStatusBody>(plan.path, formDataOf(plan, details, photos), setSent);
      onSent(answer);
    } catch (failure) {
      const message = describe(failure);
      if (message) show({ field: isApiError(failure) ? fieldOfAnswer(failure) : null, message });
    } finally {
      setSent(null);
    }
  };

  return (
    <form ref={form} onSubmit={submit} noValidate aria-busy={busy} className="kyc-form">
      {plan.details ? <DetailsFields details={details} onChange={changeDetails} invalid={problem?.field ?? null} errorId={errorId} typeFixed={again} /> : null}
      {plan.files.length > 0 ? (
        <fieldset className="kyc-photos">
          <legend>Photos</legend>
          {plan.files.map((item) => (
            <div key={item} data-field={item}>
              <PhotoInput item={item} file={photos[item] ?? null} onFile={setPhoto(item)} errorId={problem?.field === item ? errorId : undefined} />
            </div>
          ))}
        </fieldset>
      ) : plan.details && !details.documentType ? (
        <p className="muted small">Choose the document type to see which photos we need.</p>
      ) : null}
      <ErrorMessage id={errorId}>{problem?.message}</ErrorMessage>
      <UploadProgress sent={sent} what="your documents" />
      <SubmitButton busy={busy} label={again ? 'Send again' : 'Send for verification'} busyLabel="Sending…" className="button-block" />
    </form>
  );
}
