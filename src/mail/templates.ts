/**
 * Every email Bastion sends: subject, heading and content blocks. Data is plain values; the layout
 * escapes them. Adding an email = adding an entry here (and its data type).
 */
import type { MailContent } from './layout.ts';
import { emailChangeTemplates } from './templates-email-change.ts';
import { kycTemplates } from './templates-kyc.ts';
import { staffTemplates } from './templates-staff.ts';
import { twoFactorResetTemplates } from './templates-two-factor-reset.ts';
import { custodyTemplates } from './templates-custody.ts';
import { formatTime } from './time.ts';

export { formatTime } from './time.ts';

export const templates = {
  verify_email: (d: { link: string; code: string }): MailContent => ({
    subject: 'Verify your email address',
    heading: 'Confirm your email address',
    blocks: [
      { kind: 'paragraph', text: 'Welcome! Open the link below to verify your email address. It works once, within 24 hours.' },
      { kind: 'button', label: 'Verify email', url: d.link },
      { kind: 'code', label: 'Or enter this code (valid 15 minutes):', code: d.code },
      { kind: 'note', text: "If you did not create an account, ignore this email: nothing happens without the link or the code." },
    ],
  }),
  signup_attempt: (d: { loginUrl: string; resetUrl: string }): MailContent => ({
    subject: 'Someone tried to sign up with your email',
    heading: 'You already have an account',
    blocks: [
      { kind: 'paragraph', text: 'Someone, perhaps you, tried to create a new account with this email address. You already have one, so no new account was made.' },
      { kind: 'button', label: 'Sign in', url: d.loginUrl },
      { kind: 'paragraph', text: 'Forgot your password? You can reset it here:' },
      { kind: 'button', label: 'Reset password', url: d.resetUrl },
      { kind: 'note', text: 'If this was not you, no action is needed: your account is unchanged.' },
    ],
  }),
  login_code: (d: { code: string; minutes: number }): MailContent => ({
    subject: 'Your sign-in code',
    heading: 'Your sign-in code',
    blocks: [
      { kind: 'code', label: `Enter this code to finish signing in. It is valid for ${d.minutes} minutes and works once.`, code: d.code },
      { kind: 'note', text: 'If you are not signing in right now, someone has your password: change it at once.' },
    ],
  }),
  account_locked: (d: { until: number; unlockUrl: string; resetUrl: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Your account was locked',
    heading: 'We locked your account after failed sign-in attempts',
    blocks: [
      { kind: 'paragraph', text: `There were too many failed attempts to sign in to your account, so we locked it until ${formatTime(d.until)}.` },
      { kind: 'paragraph', text: 'If it was you, you can unlock it now with this single-use link:' },
      { kind: 'button', label: 'Unlock my account', url: d.unlockUrl },
      { kind: 'paragraph', text: "This wasn't you? Someone may be guessing your password. Reset it now; your second factor keeps them out in the meantime." },
      { kind: 'button', label: "This wasn't me: reset my password", url: d.resetUrl },
    ],
  }),
  /** A code lock of one method: `until` null when it is hard (it does not end by itself). */
  factor_locked: (d: { method: string; until: number | null; otherFactorLifts: boolean; resetUrl: string; recoveryUrl: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: d.until === null ? `${d.method}: locked until it is lifted` : `${d.method}: locked for a while`,
    heading: `We locked one way of confirming it is you: ${d.method}`,
    blocks: [
      d.until === null
        ? {
            kind: 'paragraph',
            text: d.otherFactorLifts
              ? `There were too many wrong attempts in a row with this method (${d.method}), so we locked it, and the lock does not end by itself. Signing in once with another strong method of yours (a passkey, or the authenticator app) lifts it. If you have none, use “Lost your 2FA device?” on the sign-in page, or ask support.`
              : `There were too many wrong attempts in a row with this method (${d.method}), so we locked it, and the lock does not end by itself. The links in our emails still work, and support can lift the lock.`,
          }
        : { kind: 'paragraph', text: `There were too many wrong attempts with this method (${d.method}), so we locked it until ${formatTime(d.until)}. Your other methods still work.` },
      { kind: 'button', label: 'Sign in', url: d.recoveryUrl },
      { kind: 'paragraph', text: "This wasn't you? Whoever tried got past your password, or is trying a link sent to you: change your password now, or lock your account." },
      { kind: 'button', label: "This wasn't me: reset my password", url: d.resetUrl },
    ],
  }),
  password_reset: (d: { link: string; minutes: number }): MailContent => ({
    subject: 'Reset your password',
    heading: 'Reset your password',
    blocks: [
      { kind: 'paragraph', text: `Open this link to choose a new password. It works once, within ${d.minutes} minutes. You will also need your second factor.` },
      { kind: 'button', label: 'Choose a new password', url: d.link },
      { kind: 'note', text: 'If you did not ask for this, ignore this email: your password stays as it is.' },
    ],
  }),
  password_changed: (d: { at: number; resetUrl: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Your password was changed',
    heading: 'Your password was changed',
    blocks: [
      { kind: 'paragraph', text: `Your password was changed at ${formatTime(d.at)}. Every signed-in session was ended.` },
      { kind: 'paragraph', text: "This wasn't you? Reset your password now and contact support." },
      { kind: 'button', label: 'Reset my password', url: d.resetUrl },
    ],
  }),
  two_factor_enabled: (d: { method: string; at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Two-factor authentication was turned on',
    heading: 'A second factor was added to your account',
    blocks: [
      { kind: 'details', rows: [['Method', d.method], ['Time', formatTime(d.at)]] },
      { kind: 'note', text: "This wasn't you? Reset your password at once and contact support." },
    ],
  }),
  passkey_added: (d: { name: string; device: string; at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'A passkey was added to your account',
    heading: 'A passkey was added',
    blocks: [
      { kind: 'paragraph', text: 'A passkey can now be used to sign in to your account and to confirm sensitive actions.' },
      { kind: 'details', rows: [['Passkey', d.name], ['Added from', d.device], ['Time', formatTime(d.at)]] },
      { kind: 'note', text: "This wasn't you? Lock your account now with the link below, then contact support." },
    ],
  }),
  passkey_removed: (d: { name: string; device: string; at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'A passkey was removed from your account',
    heading: 'A passkey was removed',
    blocks: [
      { kind: 'paragraph', text: 'This passkey can no longer be used to sign in to your account.' },
      { kind: 'details', rows: [['Passkey', d.name], ['Removed from', d.device], ['Time', formatTime(d.at)]] },
      { kind: 'note', text: "This wasn't you? Lock your account now with the link below, then contact support." },
    ],
  }),
  passkey_disabled: (d: { name: string; at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'We disabled one of your passkeys',
    heading: 'A passkey may have been copied',
    blocks: [
      {
        kind: 'paragraph',
        text: `At ${formatTime(d.at)} the passkey "${d.name}" was used with a signature counter lower than before. That can mean the key was copied to another device, so we disabled it: it can no longer sign in.`,
      },
      { kind: 'paragraph', text: 'To be safe we signed your account out everywhere and are holding withdrawals for a while.' },
      { kind: 'paragraph', text: 'Sign in another way, remove the disabled passkey in your security settings and add a new one. If you did not expect this, change your password, lock your account and contact support.' },
    ],
  }),
  backup_code_used: (d: { at: number; remaining: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'A backup code was used',
    heading: 'A backup code was used to sign in',
    blocks: [
      { kind: 'paragraph', text: `One of your backup codes was used at ${formatTime(d.at)}. ${d.remaining} remain.` },
      { kind: 'note', text: "This wasn't you? Reset your password and regenerate your backup codes at once." },
    ],
  }),
  backup_codes_regenerated: (d: { at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'New backup codes were created',
    heading: 'Your backup codes were replaced',
    blocks: [
      { kind: 'paragraph', text: `New backup codes were created at ${formatTime(d.at)}. The old ones no longer work.` },
      { kind: 'note', text: "This wasn't you? Reset your password at once and contact support." },
    ],
  }),
  account_unlocked: (d: { at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Your account was unlocked',
    heading: 'Your account was unlocked',
    blocks: [{ kind: 'paragraph', text: `Your account was unlocked at ${formatTime(d.at)} with the link from our email.` }],
  }),
  anti_phishing_changed: (d: { at: number; code: string | null; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: d.code ? 'Your anti-phishing code was changed' : 'Your anti-phishing code was removed',
    heading: d.code ? 'Your anti-phishing code was changed' : 'Your anti-phishing code was removed',
    blocks: [
      d.code
        ? { kind: 'paragraph', text: `From now on every email from us shows your new code: ${d.code}. An email without it is not from us.` }
        : { kind: 'paragraph', text: 'Emails from us no longer show an anti-phishing code.' },
      { kind: 'paragraph', text: `For your safety, withdrawals are held for 24 hours (changed at ${formatTime(d.at)}).` },
    ],
  }),
  new_device: (d: { device: string; ip: string; location: string; at: number; link: string; code: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Confirm a sign-in from a new device',
    heading: 'Is this you signing in?',
    blocks: [
      { kind: 'paragraph', text: 'Someone signed in to your account with your password and second factor from a device we do not know. The sign-in waits until you confirm it.' },
      { kind: 'details', rows: [['Device', d.device], ['IP address', d.ip], ['Location', d.location], ['Time', formatTime(d.at)]] },
      { kind: 'button', label: 'Yes, this is me: confirm the device', url: d.link },
      { kind: 'code', label: 'Or enter this code on the sign-in page (valid 20 minutes):', code: d.code },
      { kind: 'note', text: "This wasn't you? Do not confirm. Lock your account below, then reset your password." },
    ],
  }),
  new_device_login: (d: { device: string; ip: string; location: string; at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'New sign-in to your account',
    heading: 'A new device signed in to your account',
    blocks: [{ kind: 'details', rows: [['Device', d.device], ['IP address', d.ip], ['Location', d.location], ['Time', formatTime(d.at)]] }],
  }),
  account_frozen: (d: { at: number; cooldownHours: number }): MailContent => ({
    subject: 'Your account is locked',
    heading: 'You locked your account',
    blocks: [
      { kind: 'paragraph', text: `Your account was locked at ${formatTime(d.at)}. Every session was ended; sign-ins, withdrawals and security changes are blocked.` },
      { kind: 'paragraph', text: `After ${d.cooldownHours} hours you can unlock it by signing in with your password and your passkey or authenticator app, then confirming from this inbox. Support can also help.` },
    ],
  }),
  account_unfrozen: (d: { at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Your account is unlocked',
    heading: 'Your account is unlocked again',
    blocks: [{ kind: 'paragraph', text: `Your account was unlocked at ${formatTime(d.at)} after a sign-in with your password, authenticator app and this inbox.` }],
  }),
  email_changed: (d: { newEmail: string; at: number; cancelUrl: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'The email address of your account was changed',
    heading: 'Your email address was changed',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} the email address of your account was changed. From now on we write to the new address only.` },
      { kind: 'details', rows: [['New address', d.newEmail], ['Time', formatTime(d.at)]] },
      { kind: 'paragraph', text: "This wasn't you? For 7 days this link puts this address back and locks the account:" },
      { kind: 'button', label: "Cancel — this wasn't me", url: d.cancelUrl },
    ],
  }),
  two_factor_reset: (d: { at: number; heldUntil: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Your two-factor authentication was reset',
    heading: 'Your second factors were reset',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} the second factors of your account were reset after an identity check. Set up a new one at your next sign-in.` },
      { kind: 'paragraph', text: `Withdrawals are held until ${formatTime(d.heldUntil)}.` },
      { kind: 'note', text: "This wasn't you? Lock your account now with the link below, then contact support." },
    ],
  }),
  withdrawal_address_added: (d: { label: string; address: string; at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'A withdrawal address was added to your whitelist',
    heading: 'A withdrawal address was added',
    blocks: [
      { kind: 'details', rows: [['Label', d.label], ['Address', d.address], ['Time', formatTime(d.at)]] },
      { kind: 'note', text: "This wasn't you? Lock your account now with the link below, then contact support." },
    ],
  }),
  whitelist_disabled: (d: { at: number; effectiveAt: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Whitelist-only withdrawals are being turned off',
    heading: 'Whitelist-only withdrawals are being turned off',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} you asked to allow withdrawals to any address. It takes effect at ${formatTime(d.effectiveAt)}.` },
      { kind: 'note', text: "This wasn't you? Lock your account now with the link below, then contact support." },
    ],
  }),
  ...kycTemplates,
  ...staffTemplates,
  ...emailChangeTemplates,
  ...twoFactorResetTemplates,
  ...custodyTemplates,
} satisfies Record<string, (data: never) => MailContent>;

export type TemplateName = keyof typeof templates;
export type TemplateData<T extends TemplateName> = Parameters<(typeof templates)[T]>[0];
