/**
 * Words and numbers for the dashboard's money. Amounts arrive as decimal strings ("0.015", "-250")
 * and stay strings: they are formatted digit by digit (BigInt for the grouping), never through a
 * floating-point number, so what is shown is exactly what the ledger holds.
 */

const GROUPED = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const DECIMAL_MARK = new Intl.NumberFormat(undefined).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
const USD = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A decimal string split into its sign, whole digits and fraction digits (null when it is not one). */
function splitDecimal(text: string): { negative: boolean; whole: string; fraction: string } | null {
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  return { negative: match[1] === '-', whole: match[2] ?? '0', fraction: match[3] ?? '' };
}

/** "1234.5" → "1,234.5" in the reader's locale, all digits kept; anything unexpected is shown as it came. */
export function formatAmount(text: string): string {
  const parts = splitDecimal(text);
  if (!parts) return text;
  const whole = GROUPED.format(BigInt(parts.whole));
  return `${parts.negative ? '−' : ''}${whole}${parts.fraction ? `${DECIMAL_MARK}${parts.fraction}` : ''}`;
}

/** Whether a decimal string is zero ("0", "0.00"). */
export const isZero = (text: string) => !/[1-9]/.test(text);

/** Whether a decimal string is below zero. */
export function isNegative(text: string): boolean {
  const parts = splitDecimal(text);
  return parts !== null && parts.negative && !isZero(parts.whole + parts.fraction);
}

/** A movement's amount with its sign written out: "+0.1", "−250" (a real minus sign, read as "minus"). */
export function signedAmount(text: string): string {
  const formatted = formatAmount(text.trim().replace(/^[+-]/, ''));
  return `${isNegative(text) ? '−' : '+'}${formatted}`;
}

/** A USD value with 2 places ("1234.5" or "1234.56") as whole cents; null when it is not one. */
export function usdCents(text: string): bigint | null {
  const parts = splitDecimal(text);
  if (!parts || parts.fraction.length > 2) return null;
  const cents = BigInt(parts.whole) * 100n + BigInt(parts.fraction.padEnd(2, '0'));
  return parts.negative ? -cents : cents;
}

/** "1234.56" → "$1,234.56" (the locale decides where the symbol and separators go); a price keeps all its places ("$0.0845"). */
export function formatUsd(text: string): string {
  const parts = splitDecimal(text);
  if (!parts) return `${text} USD`;
  const fraction = parts.fraction.padEnd(2, '0');
  // Format the whole dollars (a bigint, exact) and put the given cents in the fraction's place.
  const formatted = USD.formatToParts(BigInt(parts.whole))
    .map((part) => (part.type === 'fraction' ? fraction : part.value))
    .join('');
  return `${isNegative(text) ? '−' : ''}${formatted}`;
}

/** The share `part` is of `total` (both in cents), as "62.5%"; exact, rounded to a tenth of a percent. */
export function sharePercent(part: bigint, total: bigint): string {
  if (total <= 0n) return '0%';
  const tenths = (part * 1000n + total / 2n) / total;
  const whole = tenths / 10n;
  const rest = tenths % 10n;
  return `${whole.toString()}${rest ? `${DECIMAL_MARK}${rest.toString()}` : ''}%`;
}

/** Basis points as a percentage: 25 → "0.25%", 100 → "1%". */
export function feePercent(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = String(Math.abs(bps % 100)).padStart(2, '0').replace(/0+$/, '');
  return `${whole}${rest ? `${DECIMAL_MARK}${rest}` : ''}%`;
}

const NETWORK_NAMES: Record<string, string> = { bitcoin: 'Bitcoin', ethereum: 'Ethereum', cronos: 'Cronos' };

/** A network's name for people: "ethereum" → "Ethereum". */
export const networkName = (network: string) => NETWORK_NAMES[network] ?? network.charAt(0).toUpperCase() + network.slice(1);

/** A long transaction id shortened for a list: "3f2a9c1e…9b04d1" (the whole id goes in a title). */
export const shortTxid = (txid: string) => (txid.length > 18 ? `${txid.slice(0, 8)}…${txid.slice(-6)}` : txid);

/** A list of words: "BTC", "ETH and USDC", "ETH, USDC and USDT". */
export function wordList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

/** An address shortened the same way, where a label is missing (the whole address is shown beside it). */
export const shortAddress = shortTxid;
