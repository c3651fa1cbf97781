/**
 * One photo of an identity check: a file input that opens the camera on a phone (the back camera
 * for the document, the front one for the selfie), what makes a good photo, a check of the file
 * before it is sent, a preview, and a way to take or choose it again. Another page may word it its
 * own way (the 2FA reset's selfie holding the ID document): a label, a guidance and a camera.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { KycFileItem } from '../../../../src/contracts/kyc.ts';
import { FieldFrame } from '../Fields.tsx';
import { ErrorMessage } from '../Messages.tsx';
import { megabytes, PHOTO_ACCEPT, PHOTO_GUIDANCE, photoProblem } from './photos.ts';
import { OWNER_ITEM_LABELS } from './words.ts';

interface PhotoInputProps {
  item: KycFileItem;
  file: File | null;
  onFile: (file: File | null) => void;
  /** The id of the form's error message when it is about this photo. */
  errorId?: string | undefined;
  /** The field's label and what makes a good photo, when not the KYC words for `item`. */
  label?: string;
  guidance?: string;
  /** Which camera a phone opens: by default the front one for a selfie, the back one for the document. */
  capture?: 'user' | 'environment';
}

/** An object URL for the file while it is shown; revoked when the file changes or the preview goes. */
function useObjectUrl(file: File | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file) {
      setUrl(null);
      return;
    }
    const created = URL.createObjectURL(file);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [file]);
  return url;
}

export function PhotoInput({ item, file, onFile, errorId, label = OWNER_ITEM_LABELS[item], guidance = PHOTO_GUIDANCE[item], capture }: PhotoInputProps) {
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState('');
  const problemId = useId();
  const preview = useObjectUrl(file);

  const chosen = (picked: File | undefined) => {
    // Closing the camera or the file picker without a photo keeps the one there is.
    if (!picked) return;
    // A file that cannot be sent is named, and a good photo chosen before it stays.
    const why = photoProblem(picked);
    setProblem(why ?? '');
    if (!why) onFile(picked);
  };

  const chooseAgain = () => {
    if (!input.current) return;
    input.current.value = '';
    input.current.click();
  };

  return (
    <div className="photo" data-testid={`photo-${item}`}>
      <FieldFrame
        label={label}
        hint={guidance}
        errorId={problem ? problemId : errorId}
        control={(a11y) => (
          <input
            {...a11y}
            ref={input}
            type="file"
            accept={PHOTO_ACCEPT}
            capture={capture ?? (item === 'selfie' ? 'user' : 'environment')}
            // With a photo chosen, the button below takes its place (the input stays for its label).
            className={file ? 'visually-hidden' : undefined}
            tabIndex={file ? -1 : undefined}
            onChange={(event) => chosen(event.target.files?.[0])}
          />
        )}
        after={
          <>
            <ErrorMessage id={problemId}>{problem}</ErrorMessage>
            {file && preview ? (
              <div className="photo-preview">
                <img src={preview} alt={`Your photo: ${label.toLowerCase()}`} />
                <p className="small muted wrap">
                  {file.name} · {megabytes(file.size)}
                </p>
                <button type="button" className="button-secondary button-small" onClick={chooseAgain}>
                  Take or choose again<span className="visually-hidden">: {label.toLowerCase()}</span>
                </button>
              </div>
            ) : null}
          </>
        }
      />
    </div>
  );
}
