/**
 * The emails of a lost-2FA reset: the code that opens a request, and what every address on file is
 * told as it moves (opened, approved with the date it takes effect, rejected, cancelled). Each one
 * while the request can still be stopped carries "cancel — this wasn't me" (cancels and locks the
 * account) and a link to the request's status page.
 */
import type { Block, MailContent } from './layout.ts';
import { formatTime } from './time.ts';

interface Links {
  cancelUrl: string;
  statusUrl: string;
}

const cancel = (d: Links): Block[] => [
  { kind: 'paragraph', text: "This wasn't you? Someone may have your password and your inbox. Cancel the request: it stops, and the account is locked until you unlock it." },
  { kind: 'button', label: "Cancel — this wasn't me", url: d.cancelUrl },
];
const status = (d: Links): Block => ({ kind: 'button', label: 'See where the request stands', url: d.statusUrl });

export const twoFactorResetTemplates = {
  two_factor_reset_code: (d: { code: string; minutes: number }): MailContent => ({
    subject: 'Your code to request a 2FA reset',
    heading: 'Your code to request a 2FA reset',
    blocks: [
      { kind: 'code', label: `Enter this code on the 2FA reset page. It is valid for ${d.minutes} minutes and works once.`, code: d.code },
      { kind: 'note', text: 'If you did not ask for this, someone may know your password: change it now. Nothing happens without this code.' },
    ],
  }),
  two_factor_reset_requested: (d: Links & { at: number; device: string; place: string }): MailContent => ({
    subject: 'A request to reset your two-factor authentication',
    heading: 'Someone asked to reset your second factors',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} a request to reset the two-factor authentication of your account was opened, with your password, a code from your inbox and a selfie. A person on our team reviews it; if it is approved, it still waits before anything changes.` },
      { kind: 'details', rows: [['Device', d.device], ['Place', d.place], ['Time', formatTime(d.at)]] },
      status(d),
      ...cancel(d),
    ],
  }),
  two_factor_reset_approved: (d: Links & { at: number; effectiveAt: number }): MailContent => ({
    subject: 'Your 2FA reset was approved: it takes effect ' + formatTime(d.effectiveAt),
    heading: 'The 2FA reset was approved',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} our team approved the request to reset your two-factor authentication. Nothing changes yet: at ${formatTime(d.effectiveAt)} every second factor and backup code of the account is removed, every session ends, and a new second factor must be set up at the next sign-in. Withdrawals are then held for a while.` },
      { kind: 'note', text: 'Signing in with a second factor you still have does not stop it: only the cancel link does.' },
      status(d),
      ...cancel(d),
    ],
  }),
  two_factor_reset_rejected: (d: { at: number; reason: string; statusUrl: string }): MailContent => ({
    subject: 'Your 2FA reset request was declined',
    heading: 'The 2FA reset request was declined',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} our team declined the request to reset your two-factor authentication. Nothing about your account changed.` },
      { kind: 'details', rows: [['Reason', d.reason]] },
      { kind: 'button', label: 'See the request', url: d.statusUrl },
    ],
  }),
  two_factor_reset_cancelled: (d: { at: number; requestCancelled: boolean; staffLocked: boolean }): MailContent => ({
    subject: 'The 2FA reset was cancelled and your account locked',
    heading: 'Cancelled, and your account is locked',
    blocks: [
      {
        kind: 'paragraph',
        text: `At ${formatTime(d.at)} ${d.requestCancelled ? 'the request to reset your two-factor authentication was cancelled from the link in our email' : 'the cancel link of an earlier 2FA reset request was used'}, and the account was locked: every session ended and nobody can sign in.`,
      },
      d.staffLocked
        ? { kind: 'note', text: 'The reset had been carried out already, so only support can unlock the account, once they have checked who you are. Contact support.' }
        : { kind: 'note', text: 'To unlock it, sign in after the cool-down with your password and your passkey or authenticator app, or contact support.' },
    ],
  }),
  two_factor_reset_sign_in_during_wait: (d: Links & { at: number; effectiveAt: number; method: string }): MailContent => ({
    subject: 'You signed in while a 2FA reset is waiting',
    heading: 'A 2FA reset is still scheduled',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} someone signed in to your account with ${d.method}. A reset of your two-factor authentication is still scheduled for ${formatTime(d.effectiveAt)}: signing in does not cancel it.` },
      { kind: 'paragraph', text: 'If you have your second factor back and no longer need the reset, or this was not you, cancel it:' },
      ...cancel(d),
      status(d),
    ],
  }),
} satisfies Record<string, (data: never) => MailContent>;
