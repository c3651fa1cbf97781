/**
 * The typed details of an identity check: legal name, date of birth (18 or older), country of
 * residence, the document's type (fixed when sending again), number and issuing country. Each
 * field carries `data-field`, so the form can move focus to the one to put right.
 */
import type { DocumentType } from '../../../../src/contracts/kyc.ts';
import { choicesFrom, RadioGroup, SelectField, TextField, type SelectFieldProps } from '../../components/Fields.tsx';
import { countryChoices } from '../../components/kyc/countries.ts';
import { DOCUMENT_TYPE_LABELS } from '../../components/kyc/words.ts';
import { latestBirthDate, type DetailsDraft, type DraftField } from './draft.ts';

const DOCUMENT_CHOICES = choicesFrom(DOCUMENT_TYPE_LABELS);

interface DetailsFieldsProps {
  details: DetailsDraft;
  onChange: (details: DetailsDraft) => void;
  /** The field the form's error is about, and the error's id. */
  invalid: DraftField | null;
  errorId: string;
  /** Sending again: the document type is the one under review and cannot change. */
  typeFixed: boolean;
}

/** A select over the countries, by name. */
function CountryField(props: Omit<SelectFieldProps<string>, 'choices' | 'placeholder'>) {
  return <SelectField {...props} choices={countryChoices()} placeholder="Choose a country" />;
}

export function DetailsFields({ details, onChange, invalid, errorId, typeFixed }: DetailsFieldsProps) {
  const set = <K extends keyof DetailsDraft>(key: K) => (value: DetailsDraft[K]) => onChange({ ...details, [key]: value });
  /** What ties a field to its detail: the value, its change, and the form's error when it is about it. */
  const bind = <K extends keyof DetailsDraft>(key: K) => ({ value: details[key], onValueChange: set(key), errorId: invalid === key ? errorId : undefined });

  return (
    <fieldset className="kyc-details">
      <legend>Your details</legend>
      <div data-field="legalName">
        <TextField
          label="Legal name"
          hint="Your full name exactly as it is written on your document."
          {...bind('legalName')}
          autoComplete="name"
          maxLength={200}
        />
      </div>
      <div data-field="dateOfBirth">
        <TextField
          label="Date of birth"
          hint="You must be 18 or older."
          type="date"
          {...bind('dateOfBirth')}
          autoComplete="bday"
          min="1900-01-01"
          max={latestBirthDate()}
        />
      </div>
      <div data-field="country">
        <CountryField label="Country of residence" {...bind('country')} autoComplete="country" />
      </div>
      <div data-field="documentType">
        {typeFixed && details.documentType ? (
          <p>
            Document type: <strong>{DOCUMENT_TYPE_LABELS[details.documentType]}</strong> (it stays the same when you send again).
          </p>
        ) : (
          <RadioGroup<DocumentType> legend="Document type" name="documentType" choices={DOCUMENT_CHOICES} {...bind('documentType')} />
        )}
      </div>
      <div data-field="documentNumber">
        <TextField
          label="Document number"
          hint="As printed on the document: letters and digits."
          {...bind('documentNumber')}
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          maxLength={40}
        />
      </div>
      <div data-field="issuingCountry">
        <CountryField label="Issuing country" hint="The country that issued the document." {...bind('issuingCountry')} />
      </div>
    </fieldset>
  );
}
