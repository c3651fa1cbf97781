/**
 * A 2FA reset's review, the comparison: the new selfie holding the ID document (this request) beside
 * the identity on file — the KYC case's name, document and photos, each zoomable and rotatable —
 * side by side on a wide screen, one above the other on a phone.
 */
import type { DocumentType, KycFileItem } from '../../../../src/contracts/kyc.ts';
import type { ResetDetail } from '../../../../src/contracts/two-factor-reset.ts';
import { countryName } from '../../components/kyc/countries.ts';
import { DOCUMENT_TYPE_LABELS, STAFF_ITEM_LABELS } from '../../components/kyc/words.ts';
import { Fact } from '../../components/security/Fact.tsx';
import { ImageViewer } from '../../components/staff/ImageViewer.tsx';
import { KycBadge } from '../../components/staff/UserSummary.tsx';
import { useStaff } from '../../components/staff/useStaff.ts';
import { casePath } from '../../components/staff/words.ts';
import '../../components/two-factor-reset/reset.css';
import { Link } from '../../router.tsx';

/** The order the identity's photos are shown in: the document, then the selfie. */
const PHOTO_ORDER: readonly KycFileItem[] = ['documentFront', 'documentBack', 'selfie'];

const documentWords = (type: string) => (Object.hasOwn(DOCUMENT_TYPE_LABELS, type) ? DOCUMENT_TYPE_LABELS[type as DocumentType] : type);

type Identity = NonNullable<ResetDetail['kyc']>;

/** The identity's photos are the KYC case's (its own permission); the new selfie is the request's. */
function IdentityOnFile({ kyc, photosShown }: { kyc: Identity | null; photosShown: boolean }) {
  if (!kyc) return <p className="muted">No identity check on file.</p>;
  const photos = PHOTO_ORDER.flatMap((item) => kyc.photos.filter((photo) => photo.item === item));
  return (
    <>
      <p>
        <KycBadge status={kyc.status} />
      </p>
      <dl className="sc-facts" data-testid="reset-kyc-facts">
        <Fact label="Legal name" className="wrap">
          {kyc.legalName ?? 'Not on file'}
        </Fact>
        <Fact label="Document">{documentWords(kyc.documentType)}</Fact>
        <Fact label="Issuing country">{countryName(kyc.issuingCountry)}</Fact>
      </dl>
      <p>
        <Link to={casePath(kyc.caseId)}>Open the KYC case</Link>
      </p>
      {photosShown && photos.length > 0 ? (
        <div className="kyc-images">
          {photos.map((photo) => (
            <ImageViewer key={photo.item} src={photo.url} label={`On file: ${STAFF_ITEM_LABELS[photo.item]}`} width={photo.width} height={photo.height} />
          ))}
        </div>
      ) : null}
      {!photosShown ? <p className="muted">Your role cannot view the KYC case’s photos.</p> : null}
      {photosShown && photos.length === 0 ? <p className="muted">The case has no photos (they may have been erased).</p> : null}
    </>
  );
}

export function ResetComparison({ detail }: { detail: ResetDetail }) {
  const { may } = useStaff();
  const selfieShown = may('two_factor_resets:view_files');

  return (
    <section className="panel panel-full" aria-labelledby="compare-heading">
      <h2 id="compare-heading">New selfie and identity on file</h2>
      <p className="small muted">
        Check that the person in the new selfie is the person on the document on file, and that the document they hold is that document.
      </p>
      <div className="reset-compare" data-testid="reset-compare">
        <section aria-labelledby="compare-new-heading" data-testid="reset-new-selfie">
          <h3 id="compare-new-heading">This request</h3>
          {selfieShown && detail.selfie ? (
            <ImageViewer src={detail.selfie.url} label="New selfie holding the ID document" width={detail.selfie.width} height={detail.selfie.height} />
          ) : null}
          {selfieShown && !detail.selfie ? <p className="muted">The selfie is no longer kept.</p> : null}
          {!selfieShown ? <p className="muted">Your role cannot view the request’s selfie.</p> : null}
        </section>
        <section aria-labelledby="compare-kyc-heading" data-testid="reset-identity">
          <h3 id="compare-kyc-heading">Identity on file</h3>
          <IdentityOnFile kyc={detail.kyc} photosShown={may('kyc:view_files')} />
        </section>
      </div>
    </section>
  );
}
