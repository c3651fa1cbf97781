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
} satisfies Record<string, (data: never) => MailContent>;
