/**
 * Withdrawals: an amount to a destination (a usable address-book entry, or with whitelist-only off
 * any valid address) → a fresh strong step-up → the emailed link (30 minutes, once) → queued; the
 * operator broadcasts and completes it. The funds (amount and fee) are held from the request and
 * returned if it is cancelled, its link expires, or it fails.
 */
import { z } from 'zod';
import { idField, tokenField } from './common.ts';

const iso = z.string();
const decimal = z.string().describe('A decimal amount in the asset’s units, e.g. "0.015"');

/** queued: confirmed, cancellable; sending: the operator has taken it to send (no longer cancellable). */
export const WITHDRAWAL_STATUSES = ['awaiting_confirmation', 'queued', 'sending', 'broadcast', 'completed', 'cancelled', 'expired', 'failed'] as const;

export const withdrawalBody = z
  .strictObject({
    asset: z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9]{2,10}$/, { message: 'must be an asset symbol such as BTC' })),
    network: z.enum(['bitcoin', 'ethereum', 'cronos'], { message: 'must be bitcoin, ethereum or cronos' }),
    /** What should arrive; the fee is held on top of it. */
    amount: z.string().trim().min(1, { message: 'is required' }).max(80, { message: 'is far too long' }),
    /** An address-book entry … */
    addressId: idField.optional(),
    /** … or an address (with whitelist-only on, it must be a usable entry of the address book). */
    address: z.string().trim().min(1, { message: 'is required' }).max(120, { message: 'is far too long for an address' }).optional(),
  })
  .refine((b) => (b.address === undefined) !== (b.addressId === undefined), { message: 'give either address or addressId', path: ['address'] });
export type WithdrawalBody = z.infer<typeof withdrawalBody>;

export const withdrawalEntry = z.object({
  id: z.string(),
  asset: z.string(),
  network: z.string(),
  address: z.string(),
  /** The address-book entry's label, when it went to one. */
  label: z.string().nullable(),
  amount: decimal,
  fee: decimal,
  /** amount + fee: what left the available balance. */
  total: decimal,
  /** The USD value at the request (2 places). */
  usdValue: z.string(),
  status: z.enum(WITHDRAWAL_STATUSES),
  createdAt: iso,
  /** Until when the emailed link confirms it (awaiting_confirmation). */
  confirmBy: iso,
  confirmedAt: iso.nullable(),
  txid: z.string().nullable(),
  broadcastAt: iso.nullable(),
  completedAt: iso.nullable(),
  /** When it stopped (cancelled, expired, failed) and why, in words; its funds were returned then. */
  endedAt: iso.nullable(),
  endReason: z.string().nullable(),
});
export type WithdrawalEntry = z.infer<typeof withdrawalEntry>;

export const withdrawalsQuery = z.strictObject({ cursor: z.string().max(200).optional() });
export const withdrawalsBody = z.object({
  withdrawals: z.array(withdrawalEntry),
  nextCursor: z.string().nullable(),
  /** The daily limit for the account's identity level (rolling 24 hours), what counts against it now, and what is left, in USD. */
  limit: z.object({ dailyUsd: z.string(), usedUsd: z.string(), remainingUsd: z.string() }),
});
export type WithdrawalsBody = z.infer<typeof withdrawalsBody>;

export const withdrawalParams = z.strictObject({ id: idField });
export const confirmWithdrawalBody = z.strictObject({ token: tokenField });
