/** Exact decimal ⇄ integer conversions for ether (18 decimals) and gwei (9), with bigint only. */

export const ETHER_DECIMALS = 18;
export const GWEI_DECIMALS = 9;

/** Thrown for an amount the user typed that is not a plain non-negative decimal number. */
export class AmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmountError';
  }
}

/**
 * "1.5" → 1500000000000000000n for 18 decimals. Accepts digits with one optional "." (a leading
 * or trailing dot is fine: ".5", "2."); no signs, exponents or thousands separators; at most
 * `decimals` digits after the dot (never silently rounded).
 */
export function parseUnits(input: string, decimals: number, what = 'The amount'): bigint {
  const text = input.trim();
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!text || !match || (match[1] === '' && (match[2] ?? '') === '')) {
    throw new AmountError(`${what} must be a number such as 0.25.`);
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) throw new AmountError(`${what} has more than ${decimals} digits after the decimal point.`);
  return BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt((fraction + '0'.repeat(decimals)).slice(0, decimals) || '0');
}

/** 1500000000000000000n → "1.5" (no trailing zeros, no exponent). */
export function formatUnits(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const fraction = (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole.toString()}${fraction ? `.${fraction}` : ''}`;
}

export const parseEther = (input: string, what?: string): bigint => parseUnits(input, ETHER_DECIMALS, what);
export const formatEther = (wei: bigint): string => formatUnits(wei, ETHER_DECIMALS);
export const parseGwei = (input: string, what?: string): bigint => parseUnits(input, GWEI_DECIMALS, what);
export const formatGwei = (wei: bigint): string => formatUnits(wei, GWEI_DECIMALS);

/** A non-negative whole number the user typed (nonce, gas limit). */
export function parseWhole(input: string, what: string): bigint {
  const text = input.trim();
  if (!/^\d+$/.test(text)) throw new AmountError(`${what} must be a whole number.`);
  return BigInt(text);
}

/** "0x1a" (JSON-RPC quantity) → 26n. */
export function parseQuantity(hex: unknown): bigint {
  if (typeof hex !== 'string' || !/^0x[0-9a-fA-F]+$/.test(hex)) throw new AmountError('The node answered with a malformed number.');
  return BigInt(hex);
}
