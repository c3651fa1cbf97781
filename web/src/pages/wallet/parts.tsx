/**
 * Small pieces the wallet screens share: a heading that takes focus, a text area, a read-only output.
 * (The copy button and the QR code are shared with the dashboard: components/CopyButton.tsx, QrImage.tsx.)
 */
import { useEffect, useId, useRef, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { CopyButton } from '../../components/CopyButton.tsx';

/** An <h2> that receives focus when it appears (the step before it is gone). */
export function StepHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h2 ref={heading} tabIndex={-1}>
      {children}
    </h2>
  );
}

type AreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'onChange' | 'value'>;

/** A labelled multi-line field, same conventions as TextField (label htmlFor, hint by aria-describedby). */
export function TextAreaField({
  label,
  value,
  onValueChange,
  hint,
  ...rest
}: AreaProps & { label: string; value: string; onValueChange: (value: string) => void; hint?: ReactNode }) {
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
      <textarea id={id} value={value} onChange={(event) => onValueChange(event.target.value)} aria-describedby={hint ? hintId : undefined} {...rest} />
    </div>
  );
}

/** A read-only output (signature, signed transaction): a labelled read-only text area and a copy button. */
export function Output({ label, value, testId, copyLabel, rows = 3 }: { label: string; value: string; testId: string; copyLabel: string; rows?: number }) {
  const id = useId();
  return (
    <div className="field wallet-output">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="mono"
        value={value}
        readOnly
        rows={rows}
        data-testid={testId}
        spellCheck={false}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div>
        <CopyButton text={value} label={copyLabel} />
      </div>
    </div>
  );
}
