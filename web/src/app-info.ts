/**
 * GET /api/app-info, fetched once per page load and shared: the installation's name, its dev inbox,
 * and the durations the pages state (how long a self-lock lasts, how long withdrawals are held, how
 * long an approved lost-2FA reset waits and the hold after it).
 */
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../src/contracts/app-info.ts';
import { get } from './api.ts';
import { spokenDuration } from './durations.ts';

const HOUR = 3_600_000;

/** The server's defaults, shown until the answer arrives (or if it never does). */
const DEFAULTS = {
  freezeCooldownMs: 24 * HOUR,
  withdrawalHoldMs: 24 * HOUR,
  twoFactorResetDelayMs: 48 * HOUR,
  twoFactorResetHoldMs: 48 * HOUR,
} satisfies Partial<Record<keyof AppInfo, number>>;

/** One of the durations, in words: the server's once it has answered, else its default. */
const spoken = (info: AppInfo | null, key: keyof typeof DEFAULTS) => spokenDuration(info?.[key] ?? DEFAULTS[key]);

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
  return { cooldown: spoken(info, 'freezeCooldownMs'), hold: spoken(info, 'withdrawalHoldMs') };
}

/** How long an approved lost-2FA reset waits before it is carried out, and how long withdrawals are held after it, in words. */
export function useResetDurations(): ResetDurations {
  const info = useAppInfo();
  return { delay: spoken(info, 'twoFactorResetDelayMs'), hold: spoken(info, 'twoFactorResetHoldMs') };
}

export interface ResetDurations {
  /** TWO_FA_RESET_DELAY. */
  delay: string;
  /** TWO_FA_RESET_WITHDRAWAL_HOLD. */
  hold: string;
}
