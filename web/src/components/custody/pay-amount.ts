/**
 * Checking an amount typed into the money forms ("Amount to pay" before a quote, "Amount" before a
 * withdrawal): a plain decimal with no more places than the asset has, above zero and within what is
 * available. Exact (bigint) throughout. Anything the server knows better (a minimum, a fee on top) it says.
 */
import { AmountError, parseUnits } from '../../wallet/units.ts';
import { formatAmount } from './format.ts';
import type { AssetBalance } from './types.ts';

/** What is wrong with the amount in the field `label`, used `purpose` ("to pay with"); '' when it can be sent. */
export function amountProblem(text: string, asset: AssetBalance, label: string, purpose: string): string {
  let amount: bigint;
  try {
    amount = parseUnits(text, asset.decimals, label);
  } catch (error) {
    if (error instanceof AmountError) return text.includes(',') ? `${error.message} Use a dot for decimals, not a comma.` : error.message;
    throw error;
  }
  if (amount === 0n) return `${label} must be more than 0.`;
  let available: bigint;
  try {
    available = parseUnits(asset.available, asset.decimals);
  } catch {
    return ''; // an unexpected balance: let the server decide
  }
  if (amount > available) return `You have ${formatAmount(asset.available)} ${asset.symbol} available ${purpose}.`;
  return '';
}

/** What is wrong with "Amount to pay" ('' when it can be quoted). */
export const payAmountProblem = (text: string, asset: AssetBalance) => amountProblem(text, asset, 'Amount to pay', 'to pay with');
