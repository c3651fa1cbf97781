/** The emails of identity verification (KYC): each one a security alert with the lock link. */
import type { MailContent } from './layout.ts';
import { formatTime } from './time.ts';

const notYou = { kind: 'note', text: "This wasn't you? Lock your account now with the link below, then contact support." } as const;

export const kycTemplates = {
  kyc_submitted: (d: { at: number; resubmission: boolean; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: d.resubmission ? 'We received the items you sent again' : 'We received your identity documents',
    heading: 'Your identity verification is under review',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} ${d.resubmission ? 'the items our reviewer asked for were sent again' : 'your ID document and selfie were submitted'}. A person on our team reviews them; we will write when it is decided.` },
      notYou,
    ],
  }),
  kyc_approved: (d: { at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Your identity is verified',
    heading: 'Your identity is verified',
    blocks: [{ kind: 'paragraph', text: `At ${formatTime(d.at)} our review team verified your identity. Your account's limits are raised.` }, notYou],
  }),
  kyc_rejected: (d: { at: number; reason: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'We could not verify your identity',
    heading: 'Your identity verification was declined',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} our review team declined your identity verification. This decision is final.` },
      { kind: 'details', rows: [['Reason', d.reason]] },
      { kind: 'note', text: 'If you think this is a mistake, contact support.' },
    ],
  }),
  kyc_resubmission_requested: (d: { at: number; items: string; message: string; kycUrl: string; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Please send part of your identity verification again',
    heading: 'We need something from you again',
    blocks: [
      { kind: 'paragraph', text: 'Our reviewer could not accept everything you sent. Only these items need to be sent again:' },
      { kind: 'details', rows: [['Send again', d.items], ['Reviewer', d.message]] },
      { kind: 'button', label: 'Send them again', url: d.kycUrl },
    ],
  }),
  kyc_documents_erased: (d: { at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: 'Your identity documents were erased',
    heading: 'Your identity documents were erased',
    blocks: [{ kind: 'paragraph', text: `At ${formatTime(d.at)} the photos and details of your identity verification were permanently erased from our systems.` }, notYou],
  }),
} satisfies Record<string, (data: never) => MailContent>;
