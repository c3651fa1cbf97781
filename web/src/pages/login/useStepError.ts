/**
 * A sign-in step's error, and where keyboard focus goes with it. After a failure, focus goes where
 * the user can put it right (the error is announced as an alert and read again with the field it
 * describes); with nowhere better it stays on the submit button.
 */
import { useEffect, useId, useState, type RefObject } from 'react';

interface StepError<T extends string> {
  error: string;
  /** The id of the step's ErrorMessage. */
  errorId: string;
  setError: (message: string) => void;
  /** Shows an error; with a target, focus moves there and the field is described by the error. */
  fail: (message: string, target?: T) => void;
  /** Moves focus to a target (the code field once the emailed code is on its way). */
  focus: (target: T) => void;
  /** The error, if any, is about no field any more. */
  unfocus: () => void;
  /** No error, and about no field. */
  clear: () => void;
  /** The error's id for the field it concerns (nothing for the other fields). */
  errorFor: (target: T) => string | undefined;
}

export function useStepError<T extends string>(targets: Record<T, RefObject<HTMLElement | null>>, initialError = ''): StepError<T> {
  const [error, setError] = useState(initialError);
  /** A new object each time, so the same target is focused again after a second failure. */
  const [request, setRequest] = useState<{ target: T } | null>(null);
  const errorId = useId();

  useEffect(() => {
    if (!request) return;
    const element = targets[request.target].current;
    element?.focus();
    if (element instanceof HTMLInputElement) element.select();
    // Only a new request moves focus (the targets are refs, the same every render).
  }, [request]);

  return {
    error,
    errorId,
    setError,
    fail: (message, target) => {
      setError(message);
      setRequest(target ? { target } : null);
    },
    focus: (target) => setRequest({ target }),
    unfocus: () => setRequest(null),
    clear: () => {
      setError('');
      setRequest(null);
    },
    errorFor: (target) => (error && request?.target === target ? errorId : undefined),
  };
}
