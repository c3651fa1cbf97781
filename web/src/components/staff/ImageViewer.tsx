/**
 * One photo of a KYC case for review: zoom in and out, reset, and rotate by quarter turns, inside a
 * frame that scrolls over the enlarged image. The image is laid out at its turned, zoomed size (from
 * the width and height the case reports), so the frame can scroll to every part of it.
 */
import { useId, useState, type CSSProperties } from 'react';

const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3, 4] as const;
const FIT = ZOOMS.indexOf(1);

interface ImageViewerProps {
  src: string;
  label: string;
  width: number;
  height: number;
}

export function ImageViewer({ src, label, width, height }: ImageViewerProps) {
  const [step, setStep] = useState(FIT);
  const [turns, setTurns] = useState(0);
  const captionId = useId();
  const zoom = ZOOMS[step] ?? 1;
  const sideways = turns % 2 === 1;
  const ratio = width > 0 && height > 0 ? width / height : 4 / 3;

  // The stage is the turned image's box: at 100% as wide as the frame and no taller than it (the
  // whole photo in view), `zoom` times that otherwise. Turned sideways, the image's own width is the
  // stage's height: `ratio` times the stage's width.
  const stageRatio = sideways ? 1 / ratio : ratio;
  const stage: CSSProperties = { width: `calc(min(100%, var(--viewer-height) * ${stageRatio}) * ${zoom})`, aspectRatio: `${stageRatio}` };
  const image: CSSProperties = { width: sideways ? `${ratio * 100}%` : '100%', transform: `translate(-50%, -50%) rotate(${turns * 90}deg)` };

  return (
    <figure className="viewer" aria-labelledby={captionId} data-testid="kyc-image">
      <figcaption id={captionId}>{label}</figcaption>
      <div className="viewer-frame" role="region" aria-label={`${label}, scrollable`} tabIndex={0}>
        <div className="viewer-stage" style={stage}>
          <img src={src} alt={label} style={image} />
        </div>
      </div>
      <div className="viewer-tools">
        <button type="button" className="button-secondary button-small" onClick={() => setStep((s) => Math.max(0, s - 1))} disabled={step === 0}>
          Zoom out
        </button>
        <button type="button" className="button-secondary button-small" onClick={() => setStep((s) => Math.min(ZOOMS.length - 1, s + 1))} disabled={step === ZOOMS.length - 1}>
          Zoom in
        </button>
        <button type="button" className="button-secondary button-small" onClick={() => setTurns((t) => (t + 1) % 4)}>
          Rotate
        </button>
        <button
          type="button"
          className="button-secondary button-small"
          onClick={() => {
            setStep(FIT);
            setTurns(0);
          }}
          disabled={step === FIT && turns === 0}
        >
          Reset
        </button>
        <output className="small muted" aria-live="polite">
          {Math.round(zoom * 100)}%{turns ? `, turned ${turns * 90}°` : ''}
        </output>
      </div>
      <p className="small">
        <a href={src} target="_blank" rel="noreferrer">
          Open full size<span className="visually-hidden">: {label}</span>
        </a>
      </p>
    </figure>
  );
}
