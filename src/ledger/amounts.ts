/**
 * Amounts are integers in an asset's smallest unit (satoshi, wei, the token's base unit): bigint in
 * code, a decimal integer string in the database (wei overflows a 64-bit integer at 9.2 ETH), and a
 * decimal string in the API ("0.015"). Never a floating-point number anywhere.
 */

/** "0.015" with 8 decimals → 1_500_000n; null when it is not a plain non-negative decimal or has too many places. */
export function parseDecimal(text: string, decimals: number): bigint | null {
  const match = /^(\d{1,40})(?:\.(\d{1,78}))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole, fraction = ''] = match;
  if (fraction.length > decimals) return null;
  return BigInt(whole!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** 1_500_000n with 8 decimals → "0.015" (no trailing zeros; "0" for zero; a sign for a negative). */
export function formatDecimal(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** A stored amount (decimal integer string, maybe signed) as bigint. */
export const units = (stored: string): bigint => BigInt(stored);
/** A bigint as stored. */
export const stored = (value: bigint): string => value.toString();
