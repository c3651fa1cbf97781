/** The emails support's actions send the account's owner. */
import type { MailContent } from './layout.ts';
import { formatTime } from './time.ts';

export const staffTemplates = {
  account_locked_by_staff: (d: { at: number; reason: string }): MailContent => ({
    subject: 'Support locked your account',
    heading: 'Your account is locked by support',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} our support team locked your account. Every session was ended; sign-ins, withdrawals and security changes are blocked until support unlocks it.` },
      { kind: 'details', rows: [['Reason', d.reason]] },
      { kind: 'note', text: 'Reply to support, or contact them from the help pages, to have it unlocked.' },
    ],
  }),
  account_unlocked_by_staff: (d: { at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Support unlocked your account',
    heading: 'Your account is unlocked',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} our support team unlocked your account. Withdrawals stay held for a while as after every security change.` },
      { kind: 'note', text: "You did not ask support for this? Lock your account now with the link below." },
    ],
  }),
  sessions_ended_by_staff: (d: { at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Support signed you out everywhere',
    heading: 'Every session of your account was ended',
    blocks: [{ kind: 'paragraph', text: `At ${formatTime(d.at)} our support team ended every signed-in session of your account. Sign in again to continue.` }],
  }),
  staff_role_changed: (d: { at: number; role: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Your staff access changed',
    heading: 'Your staff access changed',
    blocks: [{ kind: 'paragraph', text: `At ${formatTime(d.at)} your account's staff role became: ${d.role}.` }, { kind: 'note', text: 'Not expected? Tell the security team at once.' }],
  }),
} satisfies Record<string, (data: never) => MailContent>;
