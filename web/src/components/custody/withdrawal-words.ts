/**
 * Words for withdrawals and the address book: where each stands, what a withdrawal costs as a
 * rule, and the server's sentences with their times ("Withdrawals unlock at 2026-01-16T09:00:00.000Z
 * because …") made readable in the reader's own time zone.
 */
import { localTime } from '../security/format.ts';
import { shortAddress, shortTxid } from './format.ts';
import type { AddressEntry, WithdrawalEntry, WithdrawalStatus } from './types.ts';

/** `text` with the ISO time `iso` in it said as a local date and time (unchanged without one). */
export function readableTime(text: string, iso: unknown): string {
  return typeof iso === 'string' && iso && text.includes(iso) ? text.split(iso).join(localTime(iso)) : text;
}

const STATUS_WORDS: Record<WithdrawalStatus, (entry: WithdrawalEntry) => string> = {
  awaiting_confirmation: (entry) => `Waiting for your email confirmation until ${localTime(entry.confirmBy)}`,
  queued: () => 'Queued',
  sending: () => 'Being sent: it can no longer be cancelled',
  broadcast: (entry) => (entry.txid ? `Sent — txid ${shortTxid(entry.txid)}` : 'Sent'),
  completed: () => 'Completed',
  cancelled: (entry) => (entry.endReason ? `Cancelled: ${entry.endReason}` : 'Cancelled'),
  expired: () => 'Expired',
  failed: (entry) => (entry.endReason ? `Failed: ${entry.endReason}` : 'Failed'),
};

/** Where a withdrawal stands, in words. */
export const withdrawalStatusWords = (entry: WithdrawalEntry) => STATUS_WORDS[entry.status](entry);

/** How a status reads at a glance: done, gone wrong, or under way (or stopped by the user). */
export const statusTone = (entry: WithdrawalEntry): 'ok' | 'alert' | 'plain' => (entry.status === 'completed' ? 'ok' : entry.status === 'failed' ? 'alert' : 'plain');

/** A withdrawal that can still be cancelled (not taken to be sent yet); its funds and fee return. */
export const cancellable = (entry: WithdrawalEntry) => entry.status === 'awaiting_confirmation' || entry.status === 'queued';

/** Where it goes: the address book's label, else the address shortened. */
export const destinationWords = (entry: { label: string | null; address: string }) => entry.label ?? shortAddress(entry.address);

/** Where an address-book entry stands: a short badge, and the sentence that explains it. */
export function addressStatus(entry: AddressEntry): { badge: string; tone: 'ok' | 'current' | 'muted'; words: string } {
  switch (entry.status) {
    case 'usable':
      return { badge: 'Usable', tone: 'ok', words: 'Withdrawals can go to this address.' };
    case 'pending':
      return { badge: 'Waiting period', tone: 'current', words: entry.usableFrom ? `Usable from ${localTime(entry.usableFrom)}.` : 'Usable at the end of its waiting period.' };
    case 'unconfirmed':
      return { badge: 'Not confirmed', tone: 'muted', words: 'Waiting for the email link: open the link we emailed you to confirm it.' };
  }
}

