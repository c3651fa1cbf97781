/**
 * The anti-phishing code: a phrase the owner chooses (4–20 letters, digits, _ or -) that appears at
 * the top of every email Bastion sends them, so a fake email stands out. Stored sealed (AES-256-GCM,
 * bound to the account). Changing it: flows/settings/anti-phishing.ts.
 */

import type { Keyring } from '../crypto/encryption.ts';
import type { AntiPhishingLookup } from '../mail/outbox.ts';
import { findUserByEmail } from './users.ts';

export const ANTI_PHISHING_PATTERN = /^[A-Za-z0-9_-]{4,20}$/;
export const antiPhishingContext = (userId: string) => `anti-phishing:${userId}`;

/** The sealed form stored on the account (null removes the code). */
export const sealAntiPhishingCode = (keyring: Keyring, userId: string, code: string | null): string | null =>
  code === null ? null : keyring.seal(code, antiPhishingContext(userId));

/** What the mail layout calls to fill its anti-phishing slot. */
export function antiPhishingLookup(keyring: Keyring): AntiPhishingLookup {
  return async (tx, email) => {
    const user = await findUserByEmail(tx, email);
    return user?.anti_phishing_sealed ? keyring.openText(user.anti_phishing_sealed, antiPhishingContext(user.id)) : null;
  };
}
