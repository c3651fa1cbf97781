/**
 * The account's security settings history: the changes (not the sign-ins) from the audit chain,
 * newest first, with time, IP, device and location.
 */
import type { Deps } from '../../deps.ts';

/** Audit event types that are changes to the account's security, with how to say them. */
export const CHANGE_EVENTS: Record<string, string> = {
  'account.registered': 'Account created',
  'email.verified': 'Email address verified',
  'account.email_change_requested': 'Change of email address asked for',
  'account.email_changed': 'Email address changed',
  'account.email_change_cancelled': 'Change of email address cancelled',
  'mfa.totp_enabled': 'Authenticator app added',
  'mfa.totp_replaced': 'Authenticator app replaced',
  'passkey.added': 'Passkey added',
  'passkey.renamed': 'Passkey renamed',
  'passkey.removed': 'Passkey removed',
  'passkey.disabled': 'Passkey disabled (it may have been copied)',
  'mfa.backup_codes_regenerated': 'New backup codes created',
  'mfa.backup_code_used': 'Backup code used',
  'password.changed': 'Password changed',
  'password.reset': 'Password reset',
  'password.reset_requested': 'Password reset requested',
  'security.anti_phishing_changed': 'Anti-phishing code set',
  'security.anti_phishing_removed': 'Anti-phishing code removed',
  'account.locked': 'Account locked after failed attempts',
  'account.unlocked': 'Account unlocked',
  'account.frozen': 'Account locked by you',
  'account.unfrozen': 'Account unlocked by you',
  'device.forgotten': 'Device forgotten',
  'session.revoked': 'Session ended',
  'session.revoked_others': 'Other sessions ended',
  'kyc.submitted': 'Identity documents sent for verification',
  'kyc.resubmitted': 'Identity documents sent again',
  'kyc.approved': 'Identity verified',
  'kyc.rejected': 'Identity verification declined',
  'kyc.resubmission_requested': 'Asked to send identity documents again',
  'kyc.documents_erased': 'Identity documents erased',
  'staff.account_locked': 'Account locked by support',
  'staff.account_unlocked': 'Account unlocked by support',
  'staff.sessions_revoked': 'Every session ended by support',
  'staff.role_changed': 'Staff access changed',
  'mfa_reset.requested': '2FA reset requested',
  'mfa_reset.approved': '2FA reset approved (it waits before it takes effect)',
  'mfa_reset.rejected': '2FA reset request declined',
  'mfa_reset.cancelled': '2FA reset cancelled from the email link',
  'mfa.reset': 'Second factors reset',
  'mfa_reset.disowned': 'A 2FA reset disowned: locked until support checks',
  'withdrawal.address_requested': 'Withdrawal address added (waiting for the email link)',
  'withdrawal.address_added': 'Withdrawal address confirmed',
  'withdrawal.address_removed': 'Withdrawal address removed',
  'withdrawal.whitelist_enabled': 'Whitelist-only withdrawals turned on',
  'withdrawal.whitelist_disabled': 'Whitelist-only withdrawals being turned off',
  'withdrawal.whitelist_off_cancelled': 'Turning whitelist-only withdrawals off cancelled',
  'withdrawal.requested': 'Withdrawal requested (waiting for the email link)',
  'withdrawal.confirmed': 'Withdrawal confirmed from the email link',
  'withdrawal.sending': 'Withdrawal taken to be sent',
  'withdrawal.broadcast': 'Withdrawal sent to the network',
  'withdrawal.completed': 'Withdrawal completed',
  'withdrawal.cancelled': 'Withdrawal cancelled',
  'withdrawal.expired': 'Withdrawal not confirmed in time',
  'withdrawal.failed': 'Withdrawal failed',
};

export async function listSecurityEvents(deps: Deps, userId: string, limit = 100) {
  const rows = await deps.store.db
    .selectFrom('audit_events')
    .select(['seq', 'at', 'type', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('type', 'in', Object.keys(CHANGE_EVENTS))
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    type: r.type,
    description: CHANGE_EVENTS[r.type] ?? r.type,
    ip: r.ip,
    device: r.user_agent ? deps.describeDevice(r.user_agent) : null,
    location: r.ip ? deps.locate(r.ip).label : null,
  }));
}
