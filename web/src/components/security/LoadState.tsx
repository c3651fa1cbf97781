/** A section's loading line, or its load error with a way to try again. */
import { ErrorMessage, StatusMessage } from '../Messages.tsx';

export function LoadState({ what, loaded, error, onRetry }: { what: string; loaded: boolean; error: string; onRetry: () => void }) {
  if (error) {
    return (
      <>
        <ErrorMessage>{error}</ErrorMessage>
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      </>
    );
  }
  return loaded ? null : <StatusMessage>Loading {what}…</StatusMessage>;
}
