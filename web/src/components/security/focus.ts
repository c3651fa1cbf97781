/** Keeping keyboard focus somewhere useful when the element that had it disappears. */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

/** On the next frame: focus `element` if focus fell back to the page body (or always, with `force`). */
export function focusSoon(element: () => HTMLElement | null | undefined, force = false): void {
  window.requestAnimationFrame(() => {
    const active = document.activeElement;
    if (force || !active || active === document.body) element()?.focus();
  });
}

/** The page's <h1> (focusable, see Page.tsx): where a reader starts again when a page changes state. */
export const pageHeading = () => document.querySelector<HTMLElement>('main h1');

/**
 * A ref and a request to focus it once the next render is on screen (so a button that the same
 * update removes is already gone). With `onlyIfLost`, focus moves only if it fell to the page body.
 */
export function useFocusRequest<T extends HTMLElement>(): [RefObject<T | null>, (options?: { onlyIfLost?: boolean }) => void] {
  const ref = useRef<T>(null);
  const [request, setRequest] = useState<{ onlyIfLost: boolean } | null>(null);
  useEffect(() => {
    if (!request) return;
    const active = document.activeElement;
    if (!request.onlyIfLost || !active || active === document.body) ref.current?.focus();
  }, [request]);
  const ask = useCallback((options: { onlyIfLost?: boolean } = {}) => setRequest({ onlyIfLost: options.onlyIfLost ?? false }), []);
  return [ref, ask];
}
