/** Labelled form controls: every input has a <label htmlFor>, hints are tied with aria-describedby. */
import { useId, useState, type InputHTMLAttributes, type MouseEvent, type ReactNode, type Ref } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'>;

interface TextFieldProps extends InputProps {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  hint?: ReactNode;
  /** Rendered after the input, inside the field (e.g. a strength meter). */
  after?: ReactNode;
  /** The input element, for moving focus to it. */
  inputRef?: Ref<HTMLInputElement>;
  /** The id of an error message about this field: read with it, and the field is marked invalid. */
  errorId?: string | undefined;
}

/** aria-describedby from the ids that apply (hint first, then the error), or nothing. */
const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

export function TextField({ label, value, onValueChange, hint, after, inputRef, errorId, type = 'text', ...rest }: TextFieldProps) {
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
      <input
        id={id}
        type={type}
        value={value}
        onChange={(event) => onValueChange(event.target.value)}
        ref={inputRef}
        aria-describedby={describedBy(hint ? hintId : false, errorId)}
        aria-invalid={errorId ? true : undefined}
        {...rest}
      />
      {after}
    </div>
  );
}

/** A password input with a Show/Hide button (named without the word "password" so labels stay unique). */
export function PasswordField({ label, value, onValueChange, hint, after, inputRef, errorId, ...rest }: Omit<TextFieldProps, 'type'>) {
  const id = useId();
  const hintId = `${id}-hint`;
  const [visible, setVisible] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <div className="input-with-button">
        <input
          id={id}
          type={visible ? 'text' : 'password'}
          value={value}
          onChange={(event) => onValueChange(event.target.value)}
          ref={inputRef}
          aria-describedby={describedBy(hint ? hintId : false, errorId)}
          aria-invalid={errorId ? true : undefined}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          {...rest}
        />
        <button type="button" className="button-secondary toggle" aria-controls={id} onClick={() => setVisible((v) => !v)}>
          {visible ? 'Hide' : 'Show'}
        </button>
      </div>
      {after}
    </div>
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

interface Choice<T extends string> {
  value: T;
  label: string;
}

interface RadioGroupProps<T extends string> {
  legend: string;
  name: string;
  choices: Choice<T>[];
  value: T;
  onValueChange: (value: T) => void;
}

/** Radio buttons in a fieldset; arrow keys move between them (native behaviour). */
export function RadioGroup<T extends string>({ legend, name, choices, value, onValueChange }: RadioGroupProps<T>) {
  const id = useId();
  return (
    <fieldset className="choices">
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
