/**
 * The KYC set of a reset request, shown once the server answers kyc_set_required (the account's
 * identity is not verified): the typed details as on /kyc (the document type fixed when the answer
 * names one: a case the reviewer sent back keeps its type), and the document's photos taken with the
 * back camera (no back for a passport). The request's selfie holding the document is the check's selfie.
 */
import { PhotoInput } from '../../components/kyc/PhotoInput.tsx';
import { DetailsFields } from '../kyc/DetailsFields.tsx';
import type { DetailsDraft } from '../kyc/draft.ts';
import { documentFiles, isDraftField, type DocumentItem, type DocumentPhotos, type ResetField } from './draft.ts';

interface KycSetFieldsProps {
  details: DetailsDraft;
  onDetails: (details: DetailsDraft) => void;
  /** The document type is the one of the case sent back for a resubmission, and cannot change. */
  typeFixed: boolean;
  documents: DocumentPhotos;
  onDocument: (item: DocumentItem) => (file: File | null) => void;
  /** The field the form's error is about, and the error's id. */
  invalid: ResetField | null;
  errorId: string;
}

export function KycSetFields({ details, onDetails, typeFixed, documents, onDocument, invalid, errorId }: KycSetFieldsProps) {
  const files = documentFiles(details.documentType);
  return (
    <section className="reset-kyc" aria-labelledby="reset-kyc-heading" data-testid="reset-kyc">
      <h2 id="reset-kyc-heading">Your identity document too</h2>
      <p className="small">
        Your identity is not verified yet, so we check it with this request: your details as written on the document, and photos of it. The selfie above
        counts as the selfie of the check. What you typed above stays: add these, then send the request again.
      </p>
      <DetailsFields details={details} onChange={onDetails} invalid={isDraftField(invalid) ? invalid : null} errorId={errorId} typeFixed={typeFixed} />
      {files.length > 0 ? (
        <fieldset className="kyc-photos">
          <legend>Photos of your document</legend>
          {files.map((item) => (
            <div key={item} data-field={item}>
              <PhotoInput
                item={item}
                file={documents[item] ?? null}
                onFile={onDocument(item)}
                capture="environment"
                errorId={invalid === item ? errorId : undefined}
              />
            </div>
          ))}
        </fieldset>
      ) : (
        <p className="muted small">Choose the document type to see which photos we need.</p>
      )}
    </section>
  );
}
