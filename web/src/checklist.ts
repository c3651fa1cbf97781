/** The security checklist and its score, built only from what GET /api/me reports. */
import type { Me } from '../../src/contracts/me.ts';

export interface ChecklistItem {
  id: string;
  label: string;
  done: boolean;
  detail: string;
  /** Where to fix it, when the app can. */
  fixAt?: { to: string; text: string };
}

/** Whether an optional feature the API may report later is in use (flag, count, list or {enabled|count}). */
function inUse(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('enabled' in record) return record.enabled === true;
    if ('count' in record) return typeof record.count === 'number' && record.count > 0;
    if ('items' in record) return Array.isArray(record.items) && record.items.length > 0;
  }
  return false;
}

const reported = (value: unknown) => value !== undefined && value !== null;

/** What GET /api/me reports, with a feature the API does not serve yet (an item appears once it does). */
type Reported = Me['security'] & { withdrawalWhitelist?: unknown };

export function securityChecklist(me: Me): ChecklistItem[] {
  const security: Reported = me.security;
  const remaining = security.twoFactor.backupCodesRemaining;
  const items: ChecklistItem[] = [
    {
      id: 'email',
      label: 'Email address verified',
      done: security.emailVerified,
      detail: security.emailVerified ? 'We can reach you about account activity.' : 'Verify your address to receive security alerts.',
    },
    {
      id: 'two-factor',
      label: 'Two-factor authentication on',
      done: security.twoFactor.enabled,
      detail: security.twoFactor.enabled ? 'Sign-ins need a second step as well as your password.' : 'Add a passkey or an authenticator app.',
      ...(security.twoFactor.enabled ? {} : { fixAt: { to: '/enroll-2fa', text: 'Set up two-factor authentication' } }),
    },
    {
      id: 'backup-codes',
      label: 'Backup codes available',
      done: remaining > 0,
      detail: remaining > 0 ? `${remaining} unused ${remaining === 1 ? 'code' : 'codes'} left.` : 'No unused backup codes left.',
      ...(remaining > 0 || !security.twoFactor.enabled ? {} : { fixAt: { to: '/security', text: 'Get new backup codes' } }),
    },
    {
      id: 'anti-phishing',
      label: 'Anti-phishing code set',
      done: security.antiPhishingCodeSet,
      detail: security.antiPhishingCodeSet
        ? 'Genuine Bastion emails show your code.'
        : 'Not set. With a code, genuine Bastion emails show it so fakes stand out.',
      ...(security.antiPhishingCodeSet ? {} : { fixAt: { to: '/security#anti-phishing', text: 'Set an anti-phishing code' } }),
    },
  ];
  if (reported(security.passkeys)) {
    const done = inUse(security.passkeys);
    items.push({
      id: 'passkey',
      label: 'Passkey added',
      done,
      detail: done ? 'You can sign in with a passkey.' : 'No passkey yet. A passkey cannot be phished.',
      ...(done ? {} : { fixAt: { to: '/security#passkeys', text: 'Add a passkey' } }),
    });
  }
  if (reported(security.withdrawalWhitelist)) {
    const done = inUse(security.withdrawalWhitelist);
    items.push({
      id: 'withdrawal-whitelist',
      label: 'Withdrawal whitelist on',
      done,
      detail: done ? 'Withdrawals go only to addresses you approved.' : 'Withdrawals can go to any address.',
    });
  }
  return items;
}

/** Percentage of checklist items done (0–100). */
export const checklistScore = (items: ChecklistItem[]) =>
  items.length === 0 ? 0 : Math.round((items.filter((item) => item.done).length / items.length) * 100);
