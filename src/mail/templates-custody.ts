/** The emails of custody: money that arrived. */
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
} satisfies Record<string, (data: never) => MailContent>;
