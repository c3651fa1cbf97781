/**
 * The withdrawal address book (the whitelist): adding an address takes a fresh strong step-up and a
 * confirmation link by email, and it becomes usable WHITELIST_ADDRESS_DELAY after that; removing is
 * immediate. Whitelist-only mode: on at once; off after WHITELIST_OFF_DELAY (with step-up), cancellable.
 */
import { z } from 'zod';
import { idField, plainText, tokenField } from './common.ts';

const iso = z.string();

export const addAddressBody = z.strictObject({
  asset: z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9]{2,10}$/, { message: 'must be an asset symbol such as BTC' })),
  network: z.enum(['bitcoin', 'ethereum', 'cronos'], { message: 'must be bitcoin, ethereum or cronos' }),
  address: z.string().trim().min(1, { message: 'is required' }).max(120, { message: 'is far too long for an address' }),
  label: plainText(60).pipe(z.string().min(1, { message: 'is required' })),
});
export type AddAddressBody = z.infer<typeof addAddressBody>;

export const addressEntry = z.object({
  id: z.string(),
  asset: z.string(),
  network: z.string(),
  address: z.string(),
  label: z.string(),
  /** waiting for the email link · waiting out the delay · usable */
  status: z.enum(['unconfirmed', 'pending', 'usable']),
  confirmedAt: iso.nullable(),
  usableFrom: iso.nullable(),
  createdAt: iso,
});
export type AddressEntry = z.infer<typeof addressEntry>;

export const addressBookBody = z.object({
  addresses: z.array(addressEntry),
  whitelistOnly: z.boolean(),
  /** Whitelist-only is being turned off: when it takes effect (PUT enabled:true cancels it). */
  whitelistOffAt: iso.nullable(),
});
export type AddressBookBody = z.infer<typeof addressBookBody>;

export const addressParams = z.strictObject({ id: idField });
export const confirmAddressBody = z.strictObject({ token: tokenField });
export const whitelistOnlyBody = z.strictObject({ enabled: z.boolean() });
export const whitelistAnswer = z.object({ whitelistOnly: z.boolean(), whitelistOffAt: iso.nullable() });
export const removedAnswer = z.object({ status: z.literal('removed') });

/** GET /api/withdrawals/availability: whether the account may withdraw now; if not, why and until when. */
export const withdrawalAvailability = z.object({
  allowed: z.boolean(),
  reason: z.enum(['staff_locked', 'frozen', 'kyc_required', 'security_hold']).nullable(),
  /** When a security hold ends, or when the owner may unlock a frozen account (null for support's lock or a missing verification). */
  until: iso.nullable(),
  /** "Withdrawals unlock at … because …", for the page to show before anything is typed. */
  message: z.string().nullable(),
});
export type WithdrawalAvailability = z.infer<typeof withdrawalAvailability>;
