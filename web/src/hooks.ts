/** Small hooks shared by pages. */
import { useEffect, useRef, useState } from 'react';

/**
 * Runs an effect once per page visit, even under React's development double-invocation: for
 * one-shot requests such as consuming a single-use link token.
 */
export function useOnce(effect: () => void): void {
  const done = useRef(false);
  const latest = useRef(effect);
  latest.current = effect;
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    latest.current();
  }, []);
}

/** The current time in ms, re-rendering every `intervalMs` (for countdowns). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
