/**
 * Countries to choose from (residence, the document's issuer): the ISO 3166-1 alpha-2 codes that
 * the browser's ICU names in English, as the server's countryField checks them, without old aliases
 * (UK, DD…) and groupings (EU, UN…), sorted by name. Built once, on first use.
 */
import type { Choice } from '../Fields.tsx';

const NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** Codes ICU names that are no country: groupings, pseudo-regions and "Unknown Region". */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);

/** The country's name ("DE" → "Germany"), or the code itself when the browser has no name for it. */
export function countryName(code: string): string {
  try {
    return NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Whether the code is the current one for its region (not an alias such as UK for GB). */
function isCurrentCode(code: string): boolean {
  try {
    return new Intl.Locale(`und-${code}`).region === code;
  } catch {
    return false;
  }
}

let choices: Choice<string>[] | null = null;

export function countryChoices(): Choice<string>[] {
  if (choices) return choices;
  const codes: string[] = [];
  for (let first = 65; first <= 90; first++) {
    for (let second = 65; second <= 90; second++) {
      const code = String.fromCharCode(first, second);
      if (!NOT_COUNTRIES.has(code) && NAMES.of(code) !== undefined && isCurrentCode(code)) codes.push(code);
    }
  }
  choices = codes.map((code) => ({ value: code, label: countryName(code) })).sort((a, b) => a.label.localeCompare(b.label, 'en'));
  return choices;
}
