/** How far a photo upload is (`sent`, 0–1, while it runs; nothing otherwise), then that the server checks the photos. */
import { useId } from 'react';

export function UploadProgress({ sent, what }: { sent: number | null; what: string }) {
  const id = useId();
  if (sent === null) return null;
  const percent = Math.round(sent * 100);
  return (
    <div className="kyc-progress">
      <label htmlFor={id}>{sent < 1 ? `Sending ${what}: ${percent}%` : 'Checking your photos…'}</label>
      <progress id={id} max={100} value={percent}>
        {percent}%
      </progress>
    </div>
  );
}
