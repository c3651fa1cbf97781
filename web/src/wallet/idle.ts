/**
 * Auto-lock: calls `onIdle` once nothing happened on the page (pointer, keys, scrolling, touch) for
 * `timeoutMs`. Activity only records a time stamp; a single timer checks it when it fires, so a
 * moving mouse costs nothing. The timer uses window.setTimeout and Date.now, which tests can drive
 * with a fake clock (Playwright's page.clock).
 */
import { useEffect, useRef } from 'react';

/** Five minutes without activity locks an unlocked wallet. */
export const IDLE_LOCK_MS = 5 * 60_000;

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll', 'input'] as const;

export function useIdleLock(active: boolean, onIdle: () => void, timeoutMs = IDLE_LOCK_MS): void {
  const latest = useRef(onIdle);
  latest.current = onIdle;

  useEffect(() => {
    if (!active) return;
    let lastActivity = Date.now();
    let timer = 0;
    let fired = false;

    const check = () => {
      if (fired) return;
      const idleFor = Date.now() - lastActivity;
      if (idleFor >= timeoutMs) {
        fired = true;
        latest.current();
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(check, timeoutMs - idleFor);
    };
    const touch = () => {
      lastActivity = Date.now();
    };
    // A tab in the background may have its timers delayed: look again when it comes back.
    const visible = () => {
      if (document.visibilityState === 'visible') check();
    };

    timer = window.setTimeout(check, timeoutMs);
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touch, { capture: true, passive: true });
    document.addEventListener('visibilitychange', visible);
    return () => {
      window.clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true });
      document.removeEventListener('visibilitychange', visible);
    };
  }, [active, timeoutMs]);
}
