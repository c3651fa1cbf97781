/** Finding the mail a test expects among what the in-process SMTP server received, and reading it. */
import type { TestApp } from './harness.ts';
import type { ReceivedMail } from './smtp.ts';

/** The subject lines of the mails Bastion sends. */
export const SUBJECTS = {
  verifyEmail: 'Bastion: Verify your email address',
  signUpAttempt: 'Bastion: Someone tried to sign up with your email',
  twoFactorEnabled: 'Bastion: Two-factor authentication was turned on',
  newSignIn: 'Bastion: New sign-in to your account',
  confirmDevice: 'Bastion: Confirm a sign-in from a new device',
  backupCodeUsed: 'Bastion: A backup code was used',
  backupCodesRegenerated: 'Bastion: New backup codes were created',
  antiPhishingChanged: 'Bastion: Your anti-phishing code was changed',
  antiPhishingRemoved: 'Bastion: Your anti-phishing code was removed',
  passwordChanged: 'Bastion: Your password was changed',
  accountLocked: 'Bastion: Your account was locked',
  accountUnlocked: 'Bastion: Your account was unlocked',
  frozen: 'Bastion: Your account is locked',
  unfrozen: 'Bastion: Your account is unlocked',
  resetPassword: 'Bastion: Reset your password',
  signInCode: 'Bastion: Your sign-in code',
  passkeyAdded: 'Bastion: A passkey was added to your account',
  passkeyRemoved: 'Bastion: A passkey was removed from your account',
  passkeyDisabled: 'Bastion: We disabled one of your passkeys',
  confirmNewEmail: 'Bastion: Confirm your new email address',
  emailChangeRequested: 'Bastion: Someone asked to change the email address of your account',
  emailChanged: 'Bastion: The email address of your account was changed',
  addressTaken: 'Bastion: Someone tried to use your email address',
  resetCode: 'Bastion: Your code to request a 2FA reset',
  resetRequested: 'Bastion: A request to reset your two-factor authentication',
  resetRejected: 'Bastion: Your 2FA reset request was declined',
  resetCancelled: 'Bastion: The 2FA reset was cancelled and your account locked',
  resetSignInDuringWait: 'Bastion: You signed in while a 2FA reset is waiting',
  twoFactorReset: 'Bastion: Your two-factor authentication was reset',
};

/** Every mail to `email` with exactly this subject, oldest first. */
export async function mailsWithSubject(t: TestApp, email: string, subject: string): Promise<ReceivedMail[]> {
  return (await t.mailTo(email)).filter((m) => m.subject === subject);
}

/** The latest mail to `email` with this subject (fails, listing what came, when there is none). */
export async function lastMail(t: TestApp, email: string, subject: string): Promise<ReceivedMail> {
  const mail = (await mailsWithSubject(t, email, subject)).at(-1);
  if (!mail) throw new Error(`no "${subject}" mail to ${email}; got: ${(await t.mailTo(email)).map((m) => m.subject).join(' | ')}`);
  return mail;
}

/** The subjects of every mail to `email`, oldest first. */
export const subjects = async (app: TestApp, email: string) => (await app.mailTo(email)).map((m) => m.subject);

/** The first line of a mail's text part (where the anti-phishing slot is). */
export const firstLine = (mail: ReceivedMail) => mail.text.split('\n')[0]!;

/** The 6-digit code on its own 4-space-indented line. */
export function sixDigits(mail: ReceivedMail): string {
  const code = /^ {4}(\d{6})$/m.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in "${mail.subject}":\n${mail.text}`);
  return code;
}

const LOCK_LINK = /http:\/\/localhost:3000\/lock-account\?token=([A-Za-z0-9_-]+)/g;

/** The lock-account tokens in a mail's text part. */
export const lockTokens = (mail: ReceivedMail) => [...mail.text.matchAll(LOCK_LINK)].map((m) => m[1]!);

/** The one lock-account token in a mail (fails when there is none). */
export function lockToken(mail: ReceivedMail): string {
  const [token] = lockTokens(mail);
  if (!token) throw new Error(`no lock-account link in "${mail.subject}":\n${mail.text}`);
  return token;
}
