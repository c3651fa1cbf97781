/** Small pieces the wallet screens share: copy button, QR code, a heading that takes focus, a text area. */
import { useEffect, useId, useRef, useState, type ReactNode, type TextareaHTMLAttributes } from 'react';
import QRCode from 'qrcode';
import { copyText } from '../../clipboard.ts';

/** "Copy …" with a short spoken confirmation (role="status") next to it. */
export function CopyButton({ text, label, className = 'button-secondary button-small' }: { text: string; label: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 4000);
    return () => window.clearTimeout(timer);
  }, [state]);
  return (
    <span className="copy">
      <button type="button" className={className} onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}>
        {label}
      </button>
      <span role="status" className={state === 'failed' ? 'copy-status copy-failed' : 'copy-status'}>
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'Copying did not work here. Select the text and copy it.' : ''}
      </span>
    </span>
  );
}

/** A QR code drawn in the browser (qrcode → SVG → data: URL image, allowed by the CSP's img-src). */
export function QrImage({ value, alt }: { value: string; alt: string }) {
  const [src, setSrc] = useState('');
  useEffect(() => {
    let current = true;
    QRCode.toString(value, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } }).then(
      (svg) => {
        if (current) setSrc(`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`);
      },
      () => {
        if (current) setSrc('');
      },
    );
    return () => {
      current = false;
    };
  }, [value]);
  if (!src) return <div className="qr wallet-qr" aria-hidden="true" />;
  return <img className="qr wallet-qr" src={src} alt={alt} width={200} height={200} />;
}

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
