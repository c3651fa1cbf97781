/** The emails of custody: money that arrived, the address book, and each step of a withdrawal. */
import type { MailContent } from './layout.ts';
import { formatTime } from './time.ts';

export const custodyTemplates = {
  deposit_credited: (d: { asset: string; amount: string; network: string; txid: string; at: number }): MailContent => ({
    subject: `${d.amount} ${d.asset} arrived in your account`,
    heading: 'Your deposit arrived',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} we credited ${d.amount} ${d.asset} to your account. It is available now.` },
      { kind: 'details', rows: [['Amount', `${d.amount} ${d.asset}`], ['Network', d.network], ['Transaction', d.txid], ['Time', formatTime(d.at)]] },
      { kind: 'note', text: 'Bastion never asks for your password or codes by email. Sign in only at the address you know.' },
    ],
  }),
  withdrawal_address_confirm: (d: { label: string; asset: string; address: string; link: string; hours: number }): MailContent => ({
    subject: 'Confirm a new withdrawal address',
    heading: 'Confirm the new withdrawal address',
    blocks: [
      { kind: 'paragraph', text: `Someone signed in to your account asked to add this address to your withdrawal address book. Check every character: funds sent to an address cannot be called back.` },
      { kind: 'details', rows: [['Label', d.label], ['Asset', d.asset], ['Address', d.address]] },
      { kind: 'button', label: 'Confirm this address', url: d.link },
      { kind: 'note', text: `The link works once, within 24 hours. After you confirm, the address can be used for withdrawals in ${d.hours} hours. If this wasn't you, do not open the link: change your password.` },
    ],
  }),
  withdrawal_address_removed: (d: { label: string; asset: string; address: string; at: number }): MailContent => ({
    subject: 'A withdrawal address was removed',
    heading: 'A withdrawal address was removed',
    blocks: [
      { kind: 'details', rows: [['Label', d.label], ['Asset', d.asset], ['Address', d.address], ['Time', formatTime(d.at)]] },
      { kind: 'note', text: "This wasn't you? Someone is signed in to your account: change your password and contact support." },
    ],
  }),
  whitelist_enabled: (d: { at: number; cancelled: boolean }): MailContent => ({
    subject: d.cancelled ? 'Whitelist-only withdrawals stay on' : 'Whitelist-only withdrawals are on',
    heading: d.cancelled ? 'Turning whitelist-only off was cancelled' : 'Withdrawals go only to your address book',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} ${d.cancelled ? 'the request to allow withdrawals to any address was cancelled' : 'withdrawals were limited to the addresses in your address book'}.` },
    ],
  }),
  withdrawal_confirm: (d: { amount: string; fee: string; asset: string; network: string; address: string; label: string | null; link: string; expiresAt: number; at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: `Confirm your withdrawal of ${d.amount} ${d.asset}`,
    heading: 'Confirm the withdrawal',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} someone signed in to your account asked to withdraw ${d.amount} ${d.asset}. The funds are held until you confirm. Check the address character by character: a withdrawal cannot be called back.` },
      { kind: 'details', rows: [['Amount', `${d.amount} ${d.asset}`], ['Fee', `${d.fee} ${d.asset}`], ['Network', d.network], ['To', d.label ? `${d.label}: ${d.address}` : d.address]] },
      { kind: 'button', label: 'Confirm this withdrawal', url: d.link },
      { kind: 'note', text: `The link works once, until ${formatTime(d.expiresAt)}; after that the withdrawal is cancelled and the funds return. This wasn't you? Do not open it: lock your account now with the link below.` },
    ],
  }),
  withdrawal_queued: (d: { amount: string; asset: string; address: string; at: number; lockUrl: string }): MailContent => ({
    lockUrl: d.lockUrl,
    subject: `Withdrawal of ${d.amount} ${d.asset} confirmed`,
    heading: 'Your withdrawal is on its way',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} the withdrawal was confirmed and queued for sending. You can still cancel it from your dashboard until it is taken to be sent.` },
      { kind: 'details', rows: [['Amount', `${d.amount} ${d.asset}`], ['To', d.address]] },
      { kind: 'note', text: "This wasn't you? Lock your account now with the link below: it stops every withdrawal not yet sent." },
    ],
  }),
  withdrawal_broadcast: (d: { amount: string; asset: string; address: string; txid: string; at: number }): MailContent => ({
    subject: `Withdrawal of ${d.amount} ${d.asset} sent`,
    heading: 'Your withdrawal was sent',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} the withdrawal was sent to the network. It is complete once the network confirms it.` },
      { kind: 'details', rows: [['Amount', `${d.amount} ${d.asset}`], ['To', d.address], ['Transaction', d.txid]] },
    ],
  }),
  withdrawal_completed: (d: { amount: string; asset: string; address: string; txid: string; at: number }): MailContent => ({
    subject: `Withdrawal of ${d.amount} ${d.asset} completed`,
    heading: 'Your withdrawal is complete',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} the network confirmed your withdrawal.` },
      { kind: 'details', rows: [['Amount', `${d.amount} ${d.asset}`], ['To', d.address], ['Transaction', d.txid]] },
    ],
  }),
  withdrawal_stopped: (d: { amount: string; asset: string; address: string; outcome: 'cancelled' | 'expired' | 'failed'; reason: string; at: number }): MailContent => ({
    subject: `Withdrawal of ${d.amount} ${d.asset} ${d.outcome === 'expired' ? 'expired' : d.outcome}`,
    heading: d.outcome === 'failed' ? 'Your withdrawal failed' : d.outcome === 'expired' ? 'Your withdrawal was not confirmed in time' : 'Your withdrawal was cancelled',
    blocks: [
      { kind: 'paragraph', text: `At ${formatTime(d.at)} the withdrawal stopped: ${d.reason}. The funds and the fee are back in your available balance.` },
      { kind: 'details', rows: [['Amount', `${d.amount} ${d.asset}`], ['To', d.address]] },
    ],
  }),
} satisfies Record<string, (data: never) => MailContent>;
