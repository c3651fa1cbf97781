/**
 * What the money forms say back. One problem at a time (useFormProblem): about a field, said beside
 * it, tied to it (aria-describedby, marked invalid) and with focus moved there so it is read and
 * fixed; or about the whole form (field null), said under it. And what was done (DoneMessage): a
 * box that takes focus, so reading goes on from it.
 */
import { useCallback, useId, useRef, useState, type ReactNode, type Ref } from 'react';
import { ErrorMessage, SuccessMessage } from '../Messages.tsx';
import { focusSoon } from '../security/focus.ts';

export interface FormProblem<Field extends string> {
  /** Says `message` about `field` (null: the form); '' clears it. */
  show: (field: Field | null, message: string) => void;
  clear: () => void;
  /** The id of the message about `field`, while there is one (for the field's `errorId`). */
  errorIdFor: (field: Field) => string | undefined;
  /** The message about `field` (null: the form), rendered where it belongs. */
  messageFor: (field: Field | null) => ReactNode;
}

/** `target` finds a field's control when focus moves (so a field whose control changes is still found). */
export function useFormProblem<Field extends string>(target: (field: Field) => HTMLElement | null | undefined): FormProblem<Field> {
  const id = useId();
  const [problem, setProblem] = useState<{ field: Field | null; message: string } | null>(null);
  const latest = useRef(target);
  latest.current = target;

  const show = useCallback((field: Field | null, message: string) => {
    setProblem(message ? { field, message } : null);
    if (field !== null && message) focusSoon(() => latest.current(field), true);
  }, []);
  const clear = useCallback(() => setProblem(null), []);
  const about = (field: Field | null) => (problem && problem.field === field ? problem.message : '');
  return {
    show,
    clear,
    errorIdFor: (field) => (about(field) ? `${id}-${field}` : undefined),
    messageFor: (field) => <ErrorMessage id={field === null ? undefined : `${id}-${field}`}>{about(field)}</ErrorMessage>,
  };
}

export function DoneMessage({ boxRef, testId, children }: { boxRef: Ref<HTMLDivElement>; testId: string; children: ReactNode }) {
  return (
    <div ref={boxRef} tabIndex={-1} data-testid={testId} className="money-done">
      <SuccessMessage>{children}</SuccessMessage>
    </div>
  );
}
