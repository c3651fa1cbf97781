/** Labelled form controls: every input has a <label htmlFor>, hints are tied with aria-describedby. */
import {
  useId,
  useState,
  type InputHTMLAttributes,
  type MouseEvent,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'>;

/** What every labelled field takes besides its control's own attributes. */
interface FieldProps {
  label: string;
  hint?: ReactNode;
  /** Rendered after the control, inside the field (e.g. a strength meter, a photo preview). */
  after?: ReactNode;
  /** The id of an error message about this field: read with it, and the field is marked invalid. */
  errorId?: string | undefined;
}

/** The attributes that tie a control to its label, hint and error. */
export interface FieldA11y {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** aria-describedby from the ids that apply (hint first, then the error), or nothing. */
const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

/** A field's frame: the label, the hint, the control (given the ids it needs) and what comes after. */
export function FieldFrame({ label, hint, after, errorId, control }: FieldProps & { control: (a11y: FieldA11y) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {control({ id, 'aria-describedby': describedBy(hint ? hintId : false, errorId), 'aria-invalid': errorId ? true : undefined })}
      {after}
    </div>
  );
}

/** A field's props split in two: its frame's, and its control's. */
function split<P extends FieldProps>({ label, hint, after, errorId, ...control }: P): [FieldProps, Omit<P, keyof FieldProps>] {
  return [{ label, hint, after, errorId }, control];
}

interface TextFieldProps extends InputProps, FieldProps {
  value: string;
  onValueChange: (value: string) => void;
  /** The input element, for moving focus to it. */
  inputRef?: Ref<HTMLInputElement>;
}

export function TextField(props: TextFieldProps) {
  const [frame, { value, onValueChange, inputRef, type = 'text', ...rest }] = split(props);
  return (
    <FieldFrame
      {...frame}
      control={(a11y) => <input {...a11y} type={type} value={value} onChange={(event) => onValueChange(event.target.value)} ref={inputRef} {...rest} />}
    />
  );
}

/** A password input with a Show/Hide button (named without the word "password" so labels stay unique). */
export function PasswordField(props: Omit<TextFieldProps, 'type'>) {
  const [frame, { value, onValueChange, inputRef, ...rest }] = split(props);
  const [visible, setVisible] = useState(false);
  return (
    <FieldFrame
      {...frame}
      control={(a11y) => (
        <div className="input-with-button">
          <input
            {...a11y}
            type={visible ? 'text' : 'password'}
            value={value}
            onChange={(event) => onValueChange(event.target.value)}
            ref={inputRef}
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            {...rest}
          />
          <button type="button" className="button-secondary toggle" aria-controls={a11y.id} onClick={() => setVisible((v) => !v)}>
            {visible ? 'Hide' : 'Show'}
          </button>
        </div>
      )}
    />
  );
}

export interface SelectFieldProps<T extends string> extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange' | 'value'>, FieldProps {
  value: T | '';
  onValueChange: (value: T) => void;
  choices: readonly Choice<T>[];
  /** A first, empty choice ("Choose…") for a field that starts unanswered. */
  placeholder?: string;
  selectRef?: Ref<HTMLSelectElement>;
}

/** A labelled <select> over typed choices. */
export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const [frame, { value, onValueChange, choices, placeholder, selectRef, ...rest }] = split(props);
  return (
    <FieldFrame
      {...frame}
      control={(a11y) => (
        <select {...a11y} value={value} onChange={(event) => onValueChange(event.target.value as T)} ref={selectRef} {...rest}>
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'onChange' | 'value'>, FieldProps {
  value: string;
  onValueChange: (value: string) => void;
  textareaRef?: Ref<HTMLTextAreaElement>;
}

/** A labelled multi-line text field. */
export function TextAreaField(props: TextAreaFieldProps) {
  const [frame, { value, onValueChange, textareaRef, rows = 3, ...rest }] = split(props);
  return (
    <FieldFrame
      {...frame}
      control={(a11y) => <textarea {...a11y} rows={rows} value={value} onChange={(event) => onValueChange(event.target.value)} ref={textareaRef} {...rest} />}
    />
  );
}

interface CheckboxProps {
  label: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  inputRef?: Ref<HTMLInputElement>;
  errorId?: string | undefined;
}

export function Checkbox({ label, checked, onCheckedChange, inputRef, errorId }: CheckboxProps) {
  const id = useId();
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onCheckedChange(event.target.checked)}
        ref={inputRef}
        aria-describedby={errorId}
        aria-invalid={errorId ? true : undefined}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** The choices of a label table (a Record over a union of values), in the order it is written. */
export const choicesFrom = <T extends string>(labels: Record<T, string>): Choice<T>[] =>
  (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));

interface RadioGroupProps<T extends string> {
  legend: string;
  name: string;
  choices: Choice<T>[];
  /** The chosen value ('' while none is). */
  value: T | '';
  onValueChange: (value: T) => void;
  /** The id of an error message about the choice. */
  errorId?: string | undefined;
}

/** Radio buttons in a fieldset; arrow keys move between them (native behaviour). */
export function RadioGroup<T extends string>({ legend, name, choices, value, onValueChange, errorId }: RadioGroupProps<T>) {
  const id = useId();
  return (
    <fieldset className="choices" aria-describedby={errorId}>
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <div className="choice" key={choice.value}>
          <input
            id={`${id}-${choice.value}`}
            type="radio"
            name={name}
            value={choice.value}
            checked={value === choice.value}
            onChange={() => onValueChange(choice.value)}
          />
          <label htmlFor={`${id}-${choice.value}`}>{choice.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

interface SubmitProps {
  busy: boolean;
  label: string;
  busyLabel: string;
  disabled?: boolean;
  className?: string;
}

/**
 * The form's submit button, relabelled while the request runs. While busy it is aria-disabled and
 * ignores presses (Enter in a field included) rather than being disabled: a disabled button would
 * drop keyboard focus to the page body, and the user would have to find their place again.
 */
export function SubmitButton({ busy, label, busyLabel, disabled = false, className }: SubmitProps) {
  const ignoreWhileBusy = (event: MouseEvent<HTMLButtonElement>) => {
    if (busy) event.preventDefault();
  };
  return (
    <button type="submit" className={className} disabled={disabled} aria-disabled={busy ? true : undefined} onClick={ignoreWhileBusy}>
      {busy ? busyLabel : label}
    </button>
  );
}
