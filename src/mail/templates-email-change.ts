/** The emails of changing the account's email address: the code to the new one, the notices to the old one. */
import type { MailContent } from './layout.ts';
import { formatTime } from './time.ts';

export const emailChangeTemplates = {
  email_change_code: (d: { code: string; minutes: number }): MailContent => ({
    subject: 'Confirm your new email address',
    heading: 'Confirm your new email address',
    blocks: [
      { kind: 'code', label: `Enter this code in your security settings to make this the address of your account. It is valid for ${d.minutes} minutes.`, code: d.code },
      { kind: 'note', text: 'If you did not ask for this, ignore this email: nothing changes without the code.' },
    ],
  }),
  email_change_requested: (d: { newEmail: string; at: number; cancelUrl: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Someone asked to change the email address of your account',
    heading: 'A change of email address was asked for',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} someone signed in to your account asked to make ${d.newEmail} its email address. It changes once a code sent there is entered.` },
      { kind: 'paragraph', text: "This wasn't you? Cancel it: this address stays, and the account is locked until you unlock it." },
      { kind: 'button', label: "Cancel — this wasn't me", url: d.cancelUrl },
    ],
  }),
  email_change_address_taken: (d: { at: number; resetUrl: string }): MailContent => ({
    subject: 'Someone tried to use your email address',
    heading: 'Your address was given for another account',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} someone signed in to another account asked to change its email address to yours. Your address already belongs to your account, so nothing changed.` },
      { kind: 'note', text: 'If this was you with a second account, use a different address there. Forgot your password?' },
      { kind: 'button', label: 'Reset password', url: d.resetUrl },
    ],
  }),
} satisfies Record<string, (data: never) => MailContent>;
