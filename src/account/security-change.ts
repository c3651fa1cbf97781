/**
 * What a security change sets off, in one table and one call: `securityChanged(tx, change)` in the
 * transaction that made the change. For each kind: which sessions end (an attacker's session must
 * not survive a password reset: OWASP ASVS 5.0 V7.4.3), whether sign-ins in progress end, how long
 * withdrawals are held (as OKX, KuCoin and Crypto.com hold them 24 hours after security changes,
 * Binance 48 hours after a 2FA reset), which alert the owner gets (always with the one-click lock
 * link, alerts.ts) and which audit event is recorded, with its actor and subject. A change that ends
 * every session or holds withdrawals also stops those not yet taken to be sent (open-withdrawals.ts).
 * The app sessions signed in through Bastion end with the Bastion sessions they ride on, each app
 * told by back-channel logout; a change that ends every session also revokes the apps' grants and
 * tokens (app-sessions.ts).
 *
 * A new kind of change is one row here (and its alert template in mail/templates.ts).
 */
import { HOUR } from '../clock.ts';
import type { ClientInfo } from '../client/client-info.ts';
import type { Config } from '../config.ts';
import type { Actor } from '../audit/audit.ts';
import type { Deps } from '../deps.ts';
import type { TemplateData } from '../mail/templates.ts';
import type { Tx } from '../store/database.ts';
import { sendAlert, type AlertData, type AlertTemplate } from './alerts.ts';
import { endAllAppAccess, endAppSessionsOf } from './app-sessions.ts';
import { holdWithdrawals } from './holds.ts';
import { stopOpenWithdrawals } from './open-withdrawals.ts';
import { endSignIns, revokeAllSessions } from './sessions.ts';

interface Effects {
  /** The change in words, for a sentence that gives it as the reason ("… because your password was changed"). */
  words: string;
  /** The audit event recorded. */
  audit: string;
  /** Sessions that end: none, every one but the session that made the change, or all. */
  sessions: 'none' | 'others' | 'all';
  /** Whether sign-ins in progress (begun before the change) can no longer finish. */
  endSignIns: boolean;
  /** How long withdrawals are held from now (0: not held). */
  holdMs: (config: Config) => number;
  /** The owner's alert (with the lock link), or a plain notice for kinds where the link has no use. */
  alert: AlertTemplate | { notice: NoticeTemplate } | null;
  /** Record the hold's end in the audit event's data. */
  auditHold?: true;
}

/** Notices: the account is locked already, so a lock link has no use. */
type NoticeTemplate = 'account_frozen' | 'account_locked_by_staff';

const standardHold = (config: Config) => config.withdrawalHoldMs;
const noHold = () => 0;

/** The one table of what each security change sets off. */
export const SECURITY_CHANGES = {
  password_changed: { words: 'your password was changed', audit: 'password.changed', sessions: 'others', endSignIns: true, holdMs: standardHold, alert: 'password_changed' },
  password_reset: { words: 'your password was reset', audit: 'password.reset', sessions: 'all', endSignIns: true, holdMs: standardHold, alert: 'password_changed' },
  totp_added: { words: 'an authenticator app was added', audit: 'mfa.totp_enabled', sessions: 'none', endSignIns: false, holdMs: standardHold, alert: 'two_factor_enabled' },
  totp_replaced: { words: 'your authenticator app was replaced', audit: 'mfa.totp_replaced', sessions: 'none', endSignIns: false, holdMs: standardHold, alert: 'two_factor_enabled' },
  passkey_added: { words: 'a passkey was added', audit: 'passkey.added', sessions: 'none', endSignIns: false, holdMs: standardHold, alert: 'passkey_added' },
  passkey_removed: { words: 'a passkey was removed', audit: 'passkey.removed', sessions: 'none', endSignIns: false, holdMs: standardHold, alert: 'passkey_removed' },
  /** Its counter went backwards: the key may have been copied, and the copy may have a session. */
  passkey_disabled: { words: 'one of your passkeys may have been copied', audit: 'passkey.disabled', sessions: 'all', endSignIns: false, holdMs: standardHold, alert: 'passkey_disabled' },
  backup_codes_regenerated: { words: 'new backup codes were made', audit: 'mfa.backup_codes_regenerated', sessions: 'none', endSignIns: false, holdMs: noHold, alert: 'backup_codes_regenerated' },
  anti_phishing_changed: { words: 'your anti-phishing code was changed', audit: 'security.anti_phishing_changed', sessions: 'none', endSignIns: false, holdMs: standardHold, alert: 'anti_phishing_changed', auditHold: true },
  anti_phishing_removed: { words: 'your anti-phishing code was removed', audit: 'security.anti_phishing_removed', sessions: 'none', endSignIns: false, holdMs: standardHold, alert: 'anti_phishing_changed', auditHold: true },
  /** The owner locked the account: held through the cool-down and a hold after it; the notice needs no lock link. */
  account_frozen: { words: 'you locked your account', audit: 'account.frozen', sessions: 'all', endSignIns: true, holdMs: (c: Config) => c.freezeCooldownMs + c.withdrawalHoldMs, alert: { notice: 'account_frozen' } },
  account_unfrozen: { words: 'you unlocked your account', audit: 'account.unfrozen', sessions: 'none', endSignIns: false, holdMs: noHold, alert: 'account_unfrozen' },
  /** Kinds the next features record (email change, 2FA recovery, the withdrawal whitelist). */
  email_changed: { words: 'your email address was changed', audit: 'account.email_changed', sessions: 'others', endSignIns: true, holdMs: standardHold, alert: 'email_changed' },
  /** A lost-2FA reset carried out after its wait (TWO_FA_RESET_WITHDRAWAL_HOLD, as Binance holds 48 hours). */
  two_factor_reset: { words: 'your two-factor authentication was reset', audit: 'mfa.reset', sessions: 'all', endSignIns: true, holdMs: (c: Config) => c.twoFactorReset.withdrawalHoldMs, alert: 'two_factor_reset' },
  /** The owner disowned a reset that was carried out ("this wasn't me" afterwards): locked until support checks who is who. */
  two_factor_reset_disowned: { words: 'a 2FA reset was reported as not yours', audit: 'mfa_reset.disowned', sessions: 'all', endSignIns: true, holdMs: standardHold, alert: { notice: 'account_locked_by_staff' } },
  withdrawal_address_added: { words: 'a withdrawal address was added', audit: 'withdrawal.address_added', sessions: 'none', endSignIns: false, holdMs: noHold, alert: 'withdrawal_address_added' },
  /** Its own delay (WHITELIST_OFF_DELAY) is the protection: a hold ending when it takes effect would add nothing. */
  whitelist_disabled: { words: 'whitelist-only withdrawals are being turned off', audit: 'withdrawal.whitelist_disabled', sessions: 'none', endSignIns: false, holdMs: noHold, alert: 'whitelist_disabled' },
  /** Support's actions on an account (the staff console): the actor is the staff member. */
  account_locked_by_staff: { words: 'support locked your account', audit: 'staff.account_locked', sessions: 'all', endSignIns: true, holdMs: standardHold, alert: { notice: 'account_locked_by_staff' } },
  account_unlocked_by_staff: { words: 'support unlocked your account', audit: 'staff.account_unlocked', sessions: 'none', endSignIns: false, holdMs: standardHold, alert: 'account_unlocked_by_staff' },
  sessions_revoked_by_staff: { words: 'support ended your sessions', audit: 'staff.sessions_revoked', sessions: 'all', endSignIns: true, holdMs: noHold, alert: 'sessions_ended_by_staff' },
  staff_role_changed: { words: 'your staff access changed', audit: 'staff.role_changed', sessions: 'none', endSignIns: false, holdMs: noHold, alert: 'staff_role_changed' },
} as const satisfies Record<string, Effects>;

export type SecurityChangeKind = keyof typeof SECURITY_CHANGES;

/** Why a hold runs, in words; a reason recorded by an older version reads as a security setting. */
export const because = (reason: string): string => (reason in SECURITY_CHANGES ? SECURITY_CHANGES[reason as SecurityChangeKind].words : 'a security setting changed');

type AlertOf<K extends SecurityChangeKind> = (typeof SECURITY_CHANGES)[K]['alert'];
/** What a notice is told besides what every notice gets. */
type NoticeInput<N extends NoticeTemplate> = Omit<TemplateData<N>, 'at' | 'cooldownHours'>;
/** What the alert of a kind needs besides the time and the lock link. */
type AlertInput<K extends SecurityChangeKind> =
  AlertOf<K> extends AlertTemplate ? Omit<AlertData<AlertOf<K>>, 'at'> : AlertOf<K> extends { notice: infer N extends NoticeTemplate } ? NoticeInput<N> : Record<string, never>;

export interface SecurityChange<K extends SecurityChangeKind> {
  kind: K;
  /** Whose account changed. */
  subject: { id: string; email: string };
  actor: Actor;
  client: ClientInfo | null;
  /** The session that made the change, which stays when only the others end. */
  keepSessionId?: string | undefined;
  /** The mandatory first factor of a new account: there is nothing to withdraw yet, so nothing is held. */
  firstFactor?: boolean;
  /** The alert's own facts (the time and the lock link are added). */
  alert: AlertInput<K>;
  /** The audit event's details. */
  data?: Record<string, unknown>;
}

/** Applies the effects of a security change in the caller's transaction; returns when withdrawals are held until. */
export async function securityChanged<K extends SecurityChangeKind>(deps: Deps, tx: Tx, change: SecurityChange<K>): Promise<{ heldUntil: number | null }> {
  const effects: Effects = SECURITY_CHANGES[change.kind];
  const now = deps.clock.now();
  const userId = change.subject.id;
  if (effects.sessions !== 'none') await revokeAllSessions(tx, userId, now, effects.sessions === 'others' ? change.keepSessionId : undefined);
  // The apps' sessions end with the Bastion sessions they ride on (OpenID Connect, app-sessions.ts);
  // ending every session also revokes every grant and token.
  const appsSignedOut =
    effects.sessions === 'all' ? await endAllAppAccess(tx, userId, now) : effects.sessions === 'others' ? await endAppSessionsOf(tx, userId, { allBut: change.keepSessionId }, now, { revokeTokens: true }) : 0;
  if (effects.endSignIns) await endSignIns(tx, userId);
  const holdMs = change.firstFactor ? 0 : effects.holdMs(deps.config);
  // A change that ends every session or holds withdrawals may answer a takeover: the withdrawals not
  // yet taken to be sent stop too (a taker's among them), and their funds return.
  if (effects.sessions === 'all' || holdMs > 0) await stopOpenWithdrawals(deps, tx, change.subject, change.actor, effects.words, change.client);
  const heldUntil = holdMs > 0 ? await holdWithdrawals(deps, tx, userId, change.kind, holdMs) : null;
  if (effects.alert !== null && typeof effects.alert === 'object') {
    const common = { at: now, cooldownHours: Math.round(deps.config.freezeCooldownMs / HOUR) };
    await deps.mail.send(tx, effects.alert.notice, change.subject.email, { ...change.alert, ...common } as TemplateData<NoticeTemplate>);
  } else if (effects.alert !== null) {
    await sendAlert(deps, tx, change.subject, effects.alert, { ...change.alert, at: now } as AlertData<typeof effects.alert>);
  }
  const held = effects.auditHold ? { ...change.data, withdrawalsHeldUntil: heldUntil } : change.data;
  const data = appsSignedOut > 0 ? { ...held, appsSignedOut } : held;
  await deps.audit.record(tx, { type: effects.audit, actor: change.actor, subject: userId, client: change.client, ...(data ? { data } : {}) });
  return { heldUntil };
}
