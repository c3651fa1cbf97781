/**
 * Messages announced to assistive technology: errors as role="alert", information as role="status".
 * Nothing is rendered while there is nothing to say.
 */
import type { ReactNode } from 'react';

/** `id` lets a field point at the message (aria-describedby) when the error is about that field. */
export function ErrorMessage({ children, id }: { children: ReactNode; id?: string }) {
  if (!children) return null;
  return (
    <div className="message message-error" role="alert" id={id}>
      {children}
    </div>
  );
}

export function StatusMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="message message-info" role="status">
      {children}
    </div>
  );
}

export function SuccessMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="message message-success" role="status">
      {children}
    </div>
  );
}
