/**
 * GET /api/app-info, fetched once per page load and shared: the installation's name, its dev inbox,
 * and the durations the pages state (how long a self-lock lasts, how long withdrawals are held).
 */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../src/contracts/app-info.ts';
import { get } from './api.ts';
import { spokenDuration } from './durations.ts';

/** The server's defaults, shown until the answer arrives (or if it never does). */
const DEFAULTS = { freezeCooldownMs: 24 * 3_600_000, withdrawalHoldMs: 24 * 3_600_000 };

let pending: Promise<AppInfo> | null = null;

export function loadAppInfo(): Promise<AppInfo> {
  pending ??= get<AppInfo>('/api/app-info').catch((error: unknown) => {
    pending = null; // try again next time
    throw error;
  });
  return pending;
}

/** The app info once loaded (null before, or when it cannot be loaded). */
export function useAppInfo(): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let current = true;
    loadAppInfo().then(
      (answer) => current && setInfo(answer),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  return info;
}

/** How long a self-lock lasts and how long withdrawals are held, in words. */
export function useSecurityDurations(): { cooldown: string; hold: string } {
  const info = useAppInfo();
  return {
    cooldown: spokenDuration(info?.freezeCooldownMs ?? DEFAULTS.freezeCooldownMs),
    hold: spokenDuration(info?.withdrawalHoldMs ?? DEFAULTS.withdrawalHoldMs),
  };
}
