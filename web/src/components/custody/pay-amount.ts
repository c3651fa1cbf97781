/**
 * Checking the amount typed into "Amount to pay" before asking for a quote: a plain decimal with no
 * more places than the asset has, above zero and within what is available. Exact (bigint) throughout.
 */
import { AmountError, parseUnits } from '../../wallet/units.ts';
import { formatAmount } from './format.ts';
import type { AssetBalance } from './types.ts';

const LABEL = 'Amount to pay';

/** What is wrong with the amount ('' when it can be quoted). */
export function payAmountProblem(text: string, asset: AssetBalance): string {
  let amount: bigint;
  try {
    amount = parseUnits(text, asset.decimals, LABEL);
  } catch (error) {
    if (error instanceof AmountError) return text.includes(',') ? `${error.message} Use a dot for decimals, not a comma.` : error.message;
    throw error;
  }
  if (amount === 0n) return `${LABEL} must be more than 0.`;
  let available: bigint;
  try {
    available = parseUnits(asset.available, asset.decimals);
  } catch {
    return ''; // an unexpected balance: let the server decide
  }
  if (amount > available) return `You have ${formatAmount(asset.available)} ${asset.symbol} available to pay with.`;
  return '';
}
